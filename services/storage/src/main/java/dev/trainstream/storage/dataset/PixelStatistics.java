package dev.trainstream.storage.dataset;

import java.util.ArrayList;
import java.util.List;

/**
 * Per-channel mean and standard deviation of a dataset's training pixels, scaled to [0, 1], as training and
 * evaluation normalise with them ({@code (pixel / 255 - mean) / std}). Computed exactly at ingest from integer sums
 * over every pixel, in one pass over the decoded split, and stored in the manifest.
 *
 * @param mean one value per channel, in [0, 1]
 * @param std  one value per channel, > 0 (a constant channel gets a floor so normalising never divides by zero)
 */
public record PixelStatistics(List<Double> mean, List<Double> std) {
    /** A channel whose pixels are all equal has no spread; this keeps the division finite. */
    public static final double MIN_STD = 1.0 / 255;

    public PixelStatistics {
        if (mean == null || std == null || mean.isEmpty() || mean.size() != std.size()) {
            throw new IllegalArgumentException("pixel statistics need one mean and one std per channel");
        }
        mean = List.copyOf(mean);
        std = List.copyOf(std);
        for (int c = 0; c < mean.size(); c++) {
            if (!(mean.get(c) >= 0 && mean.get(c) <= 1)) {
                throw new IllegalArgumentException("mean of channel " + c + " must be in [0, 1], was " + mean.get(c));
            }
            if (!(std.get(c) >= MIN_STD && std.get(c) <= 1)) {
                throw new IllegalArgumentException("std of channel " + c + " must be in [" + MIN_STD + ", 1], was "
                    + std.get(c));
            }
        }
    }

    /** Exact statistics of every pixel of {@code split}, per channel. */
    public static PixelStatistics of(Shard split) {
        Accumulator all = new Accumulator(split.shape());
        all.add(split);
        return all.result();
    }

    /**
     * Integer sums over the pixels of blocks added one at a time (a split that arrives file by file), giving exactly
     * what {@link #of} gives for the blocks joined. Not thread-safe: one thread adds.
     */
    public static final class Accumulator {
        private final ImageShape shape;
        private final long[] sum;
        private final long[] sumOfSquares;
        private long images;

        public Accumulator(ImageShape shape) {
            this.shape = shape;
            this.sum = new long[shape.channels()];
            this.sumOfSquares = new long[shape.channels()];
        }

        public void add(Shard block) {
            if (!block.shape().equals(shape)) {
                throw new IllegalArgumentException("pixel statistics of " + shape + " given a block of " + block.shape());
            }
            int channels = shape.channels();
            int plane = shape.height() * shape.width();
            byte[] pixels = block.pixels();
            for (int i = 0; i < block.count(); i++) {
                for (int c = 0; c < channels; c++) {
                    int base = (i * channels + c) * plane;
                    long s = 0;
                    long q = 0;
                    for (int p = 0; p < plane; p++) {
                        int v = pixels[base + p] & 0xFF;
                        s += v;
                        q += v * v;
                    }
                    sum[c] += s;
                    sumOfSquares[c] += q;
                }
            }
            images += block.count();
        }

        public PixelStatistics result() {
            int channels = shape.channels();
            double n = (double) images * shape.height() * shape.width();
            if (n == 0) {
                throw new IllegalArgumentException("no pixels to take statistics of");
            }
            List<Double> mean = new ArrayList<>();
            List<Double> std = new ArrayList<>();
            for (int c = 0; c < channels; c++) {
                double m = sum[c] / n;
                double variance = Math.max(0, sumOfSquares[c] / n - m * m);
                mean.add(m / 255);
                std.add(Math.max(MIN_STD, Math.sqrt(variance) / 255));
            }
            return new PixelStatistics(mean, std);
        }
    }
}
