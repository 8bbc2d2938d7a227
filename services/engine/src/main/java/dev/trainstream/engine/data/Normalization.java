package dev.trainstream.engine.data;

import java.util.Arrays;

/**
 * Per-channel normalisation {@code (pixel / 255 - mean) / std}, precomputed as a 256-entry table per channel so
 * preparing a batch is a table look-up per byte.
 */
public final class Normalization {

    /** CIFAR-10 training-set channel means (R, G, B). */
    private static final float[] CIFAR10_MEAN = {0.4914f, 0.4822f, 0.4465f};
    /** CIFAR-10 training-set channel standard deviations (R, G, B), computed over all pixels. */
    private static final float[] CIFAR10_STD = {0.2470f, 0.2435f, 0.2616f};

    private final float[][] table;

    private Normalization(float[] mean, float[] std) {
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("mean and std must have the same non-zero length");
        }
        table = new float[mean.length][256];
        for (int c = 0; c < mean.length; c++) {
            if (!(std[c] > 0)) {
                throw new IllegalArgumentException("std must be > 0 for channel " + c);
            }
            for (int v = 0; v < 256; v++) {
                table[c][v] = (v / 255f - mean[c]) / std[c];
            }
        }
    }

    /** CIFAR-10 statistics for three-channel input. */
    public static Normalization cifar10() {
        return new Normalization(CIFAR10_MEAN, CIFAR10_STD);
    }

    /** Custom statistics, one entry per channel. */
    public static Normalization of(float[] mean, float[] std) {
        if (mean == null || std == null) {
            throw new IllegalArgumentException("mean and std must be set");
        }
        return new Normalization(mean.clone(), std.clone());
    }

    /** CIFAR-10 statistics for 3 channels, otherwise mean 0.5 / std 0.25 per channel. */
    public static Normalization forChannels(int channels) {
        if (channels == 3) {
            return cifar10();
        }
        float[] mean = new float[channels];
        float[] std = new float[channels];
        Arrays.fill(mean, 0.5f);
        Arrays.fill(std, 0.25f);
        return of(mean, std);
    }

    /** Channels this normalisation covers. */
    public int channels() {
        return table.length;
    }

    /** Normalised value of an unsigned byte in a channel. */
    public float apply(int channel, byte value) {
        return table[channel][value & 0xFF];
    }

    /** Normalised value of a zero (black) pad pixel in a channel. */
    public float padValue(int channel) {
        return table[channel][0];
    }

    /** Normalises a whole batch without augmentation (evaluation path). */
    public PreparedBatch normalize(LabeledImages raw, long globalStep) {
        return normalize(raw, globalStep, null);
    }

    /**
     * As {@link #normalize(LabeledImages, long)}, writing into {@code into} when it has exactly the batch's length (a
     * buffer the caller recycles after the step); otherwise into a new array. Every element is written.
     */
    public PreparedBatch normalize(LabeledImages raw, long globalStep, float[] into) {
        requireChannels(raw);
        float[] out = destination(raw, into);
        int plane = raw.height() * raw.width();
        byte[] in = raw.pixels();
        for (int i = 0; i < raw.count(); i++) {
            for (int c = 0; c < raw.channels(); c++) {
                float[] lut = table[c];
                int base = (i * raw.channels() + c) * plane;
                for (int p = 0; p < plane; p++) {
                    out[base + p] = lut[in[base + p] & 0xFF];
                }
            }
        }
        return new PreparedBatch(globalStep, raw.count(), raw.channels(), raw.height(), raw.width(), out,
                raw.labels().clone());
    }

    /** {@code into} if it fits the batch exactly, else a new array. */
    static float[] destination(LabeledImages raw, float[] into) {
        return into != null && into.length == raw.pixels().length ? into : new float[raw.pixels().length];
    }

    void requireChannels(LabeledImages raw) {
        if (raw.channels() != table.length) {
            throw new IllegalArgumentException(
                    "images have " + raw.channels() + " channels, normalisation expects " + table.length);
        }
    }
}
