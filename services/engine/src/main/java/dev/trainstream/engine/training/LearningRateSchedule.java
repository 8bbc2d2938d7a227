package dev.trainstream.engine.training;

/** The learning rate as a pure function of the global step: linear warm-up, then constant, cosine or step decay. */
public final class LearningRateSchedule {

    private final TrainingConfig config;

    /** Schedule for the given configuration. */
    public LearningRateSchedule(TrainingConfig config) {
        if (config == null) {
            throw new IllegalArgumentException("config must be set");
        }
        this.config = config;
    }

    /** Rate for the step with zero-based index {@code step} (the first optimizer step is 0). */
    public double rate(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + step);
        }
        double base = config.learningRate();
        long warmup = config.warmupSteps();
        if (step < warmup) {
            return base * (step + 1) / warmup;
        }
        return switch (config.schedule()) {
            case CONSTANT -> base;
            case COSINE -> {
                long span = Math.max(1, config.totalSteps() - warmup);
                double progress = Math.min(1.0, (double) (step - warmup) / span);
                double min = config.minLearningRate();
                yield min + (base - min) * 0.5 * (1 + Math.cos(Math.PI * progress));
            }
            case STEP -> base * Math.pow(config.stepDecayFactor(), (step - warmup) / config.stepDecayEvery());
        };
    }
}
