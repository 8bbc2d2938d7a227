package dev.trainstream.dashboard;

import dev.trainstream.engine.training.StepResult;
import dev.trainstream.trainer.TrainingProgress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Holds a real trainer after chosen steps until the test lets it go, through the trainer's own per-step progress hook
 * (called after a step trains, before its metrics are published), so a browser observation falls at a known point
 * of the run on a machine of any speed. Closing it lets the trainer run to its end.
 */
final class StepGate implements TrainingProgress, AutoCloseable {
    /** How long the trainer waits for a release before failing the run, so a broken test cannot hang it. */
    private static final Duration HOLD_LIMIT = Duration.ofMinutes(3);

    private final Map<Long, CountDownLatch> releases = new ConcurrentHashMap<>();

    StepGate(long... steps) {
        for (long step : steps) {
            releases.put(step, new CountDownLatch(1));
        }
    }

    @Override
    public void stepped(int epoch, int stepInEpoch, int stepsInEpoch, StepResult result, int batchImages) {
        CountDownLatch release = releases.get(result.globalStep());
        if (release == null) {
            return;
        }
        try {
            if (!release.await(HOLD_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the test never released the trainer held after step "
                    + result.globalStep());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while held after step " + result.globalStep(), e);
        }
    }

    /** Lets the trainer continue past {@code step}. */
    void release(long step) {
        CountDownLatch release = releases.get(step);
        if (release == null) {
            throw new IllegalArgumentException("no gate at step " + step);
        }
        release.countDown();
    }

    /** Lets the trainer run to its end. */
    @Override
    public void close() {
        releases.values().forEach(CountDownLatch::countDown);
    }
}
