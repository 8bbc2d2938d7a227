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
        int channels = split.shape().channels();
        int plane = split.shape().height() * split.shape().width();
        long[] sum = new long[channels];
        long[] sumOfSquares = new long[channels];
        byte[] pixels = split.pixels();
        for (int i = 0; i < split.count(); i++) {
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
        double n = (double) split.count() * plane;
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
