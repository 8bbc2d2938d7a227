package dev.trainstream.trainer;

import java.time.Duration;

/**
 * When the trainer writes a checkpoint besides epoch ends and the end of the run: every N steps, or when an interval
 * has passed since the last one (both optional). Kept apart so the rule is read, and tested, in one place.
 */
final class CheckpointSchedule {
    private final int everySteps;
    private final Duration interval;
    private long lastStep;
    private long lastNanos = System.nanoTime();

    /**
     * @param everySteps 0 = no step rule
     * @param interval   zero = no time rule
     * @param lastStep   the step of the checkpoint resumed from; -1 when none
     */
    CheckpointSchedule(int everySteps, Duration interval, long lastStep) {
        if (everySteps < 0 || interval == null || interval.isNegative()) {
            throw new IllegalArgumentException("every-steps must be >= 0 and the interval zero or positive");
        }
        this.everySteps = everySteps;
        this.interval = interval;
        this.lastStep = lastStep;
    }

    /**
     * Whether a checkpoint is due after training {@code globalStep}. The last batch of an epoch is followed by its
     * marker, whose checkpoint also records the finished epoch, so none is due there.
     */
    boolean dueAfter(long globalStep, boolean epochEndFollows) {
        if (epochEndFollows) {
            return false;
        }
        boolean stepsDue = everySteps > 0 && globalStep % everySteps == 0;
        boolean timeDue = !interval.isZero() && System.nanoTime() - lastNanos >= interval.toNanos();
        return stepsDue || timeDue;
    }

    /** True when the newest checkpoint is already at {@code globalStep} (nothing new to write). */
    boolean writtenAt(long globalStep) {
        return globalStep == lastStep;
    }

    /** Records a checkpoint written at {@code globalStep}, restarting the interval. */
    void written(long globalStep) {
        lastStep = globalStep;
        lastNanos = System.nanoTime();
    }

    /** Restarts the interval (the run starts consuming now). */
    void restartClock() {
        lastNanos = System.nanoTime();
    }
}
