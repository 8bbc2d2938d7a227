package dev.trainstream.engine.data;

import java.util.List;

/**
 * The per-channel mean and standard deviation (pixels scaled to [0, 1]) a run normalises its images with: the
 * dataset's own, measured at ingest. Kept in the run's training configuration, so every checkpoint carries the
 * statistics it was trained with and evaluation and export use exactly those.
 *
 * @param mean one value per channel
 * @param std  one value per channel, > 0
 */
public record ChannelStatistics(List<Double> mean, List<Double> std) {
    public ChannelStatistics {
        if (mean == null || std == null || mean.isEmpty() || mean.size() != std.size()) {
            throw new IllegalArgumentException("channel statistics need one mean and one std per channel");
        }
        mean = List.copyOf(mean);
        std = List.copyOf(std);
        for (int c = 0; c < std.size(); c++) {
            if (!(std.get(c) > 0) || !Double.isFinite(mean.get(c))) {
                throw new IllegalArgumentException("channel " + c + " needs a finite mean and a std > 0, got "
                    + mean.get(c) + " / " + std.get(c));
            }
        }
    }

    /** The look-up tables that apply these statistics. */
    public Normalization normalization() {
        float[] m = new float[mean.size()];
        float[] s = new float[std.size()];
        for (int c = 0; c < m.length; c++) {
            m[c] = mean.get(c).floatValue();
            s[c] = std.get(c).floatValue();
        }
        return Normalization.of(m, s);
    }
}
