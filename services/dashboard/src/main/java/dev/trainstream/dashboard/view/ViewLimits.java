package dev.trainstream.dashboard.view;

/**
 * How much the dashboard keeps in memory, so a long-lived instance on a busy cluster stays bounded.
 *
 * @param runs              runs kept; the least recently updated run is dropped beyond it, >= 1
 * @param pointsPerSeries   samples kept per metric of a run; the oldest steps are dropped beyond it, >= 10
 * @param checkpointsPerRun checkpoints (and evaluations) kept per run; the oldest are dropped beyond it, >= 1
 */
public record ViewLimits(int runs, int pointsPerSeries, int checkpointsPerRun) {

    /**
     * At ~100 bytes per boxed sample, 50 runs x 8 metrics x 5,000 samples stay near 200 MB at worst; 5,000 samples
     * cover 100,000 steps at the trainer's default of one sample every 20 steps.
     */
    public static final ViewLimits DEFAULT = new ViewLimits(50, 5_000, 500);

    public ViewLimits {
        if (runs < 1) {
            throw new IllegalArgumentException("runs must be >= 1, got " + runs);
        }
        if (pointsPerSeries < 10) {
            throw new IllegalArgumentException("pointsPerSeries must be >= 10, got " + pointsPerSeries);
        }
        if (checkpointsPerRun < 1) {
            throw new IllegalArgumentException("checkpointsPerRun must be >= 1, got " + checkpointsPerRun);
        }
    }
}
