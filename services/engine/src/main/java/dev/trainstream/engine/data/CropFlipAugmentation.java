package dev.trainstream.engine.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * CIFAR training augmentation: random crop after zero padding (torchvision {@code RandomCrop(size, padding)}), then
 * (if enabled) a random horizontal flip, then per-channel normalisation. The flip draw is made either way, so a run's
 * crops do not depend on whether it flips. Pure CPU and thread-safe; the draws for global step k come
 * from {@link StepSeeds#forStep} only.
 */
public final class CropFlipAugmentation {

    private final Normalization normalization;
    private final int padding;
    private final boolean flips;

    /** Crop and flip with {@code padding} pixels of zero padding on every side (4 for CIFAR). */
    public CropFlipAugmentation(Normalization normalization, int padding) {
        this(normalization, padding, true);
    }

    /** Crop with {@code padding} pixels of zero padding on every side, and a random flip if {@code flips}. */
    public CropFlipAugmentation(Normalization normalization, int padding, boolean flips) {
        if (normalization == null) {
            throw new IllegalArgumentException("normalization must be set");
        }
        if (padding < 0) {
            throw new IllegalArgumentException("padding must be >= 0, got " + padding);
        }
        this.normalization = normalization;
        this.padding = padding;
        this.flips = flips;
    }

    /** Augments and normalises {@code raw} for {@code globalStep} of the run seeded with {@code seed}. */
    public PreparedBatch apply(LabeledImages raw, long seed, long globalStep) {
        return apply(raw, seed, globalStep, null);
    }

    /**
     * As {@link #apply(LabeledImages, long, long)}, writing into {@code into} when it has exactly the batch's length (a
     * buffer the caller recycles after the step); otherwise into a new array. Every element is written.
     */
    public PreparedBatch apply(LabeledImages raw, long seed, long globalStep, float[] into) {
        normalization.requireChannels(raw);
        SplittableRandom random = new SplittableRandom(StepSeeds.forStep(seed, globalStep));
        int channels = raw.channels();
        int height = raw.height();
        int width = raw.width();
        int plane = height * width;
        byte[] in = raw.pixels();
        float[] out = Normalization.destination(raw, into);
        for (int i = 0; i < raw.count(); i++) {
            int dy = random.nextInt(2 * padding + 1) - padding;
            int dx = random.nextInt(2 * padding + 1) - padding;
            boolean flip = random.nextBoolean() && flips;
            for (int c = 0; c < channels; c++) {
                int base = (i * channels + c) * plane;
                float pad = normalization.padValue(c);
                for (int y = 0; y < height; y++) {
                    int sy = y + dy;
                    int row = base + y * width;
                    if (sy < 0 || sy >= height) {
                        Arrays.fill(out, row, row + width, pad);
                        continue;
                    }
                    int srcRow = base + sy * width;
                    for (int x = 0; x < width; x++) {
                        int sx = (flip ? width - 1 - x : x) + dx;
                        out[row + x] = sx < 0 || sx >= width ? pad : normalization.apply(c, in[srcRow + sx]);
                    }
                }
            }
        }
        return new PreparedBatch(globalStep, raw.count(), channels, height, width, out, raw.labels().clone());
    }
}
