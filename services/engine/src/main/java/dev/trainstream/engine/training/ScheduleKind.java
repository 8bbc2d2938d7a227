package dev.trainstream.engine.training;

/** Shape of the learning-rate curve after the linear warm-up. */
public enum ScheduleKind {
    /** Stays at the base rate. */
    CONSTANT,
    /** Half-cosine from the base rate to the minimum rate at the last step. */
    COSINE,
    /** Multiplied by {@code stepDecayFactor} every {@code stepDecayEvery} steps. */
    STEP
}
