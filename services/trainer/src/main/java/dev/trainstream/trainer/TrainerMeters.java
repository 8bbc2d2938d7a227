package dev.trainstream.trainer;

import dev.trainstream.engine.training.StepResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The trainer's Prometheus meters: steps, images, data wait, step time, checkpoint time, dead letters, last loss, and
 * consumer lag (batch-topic records not yet trained, counting the look-ahead queue).
 */
final class TrainerMeters {
    private final Counter steps;
    private final Counter images;
    private final Counter deadLetters;
    private final Timer dataWait;
    private final Timer stepTime;
    private final Timer checkpointTime;
    private final AtomicReference<Double> lastLoss = new AtomicReference<>(Double.NaN);
    private final AtomicLong consumerLag = new AtomicLong();

    TrainerMeters(MeterRegistry registry, String runId) {
        steps = Counter.builder("trainstream_trainer_steps").tag("run", runId).register(registry);
        images = Counter.builder("trainstream_trainer_images").tag("run", runId).register(registry);
        deadLetters = Counter.builder("trainstream_trainer_dead_lettered_batches").tag("run", runId).register(registry);
        dataWait = Timer.builder("trainstream_trainer_data_wait").tag("run", runId).register(registry);
        stepTime = Timer.builder("trainstream_trainer_step").tag("run", runId).register(registry);
        checkpointTime = Timer.builder("trainstream_trainer_checkpoint").tag("run", runId).register(registry);
        registry.gauge("trainstream_trainer_loss", Tags.of("run", runId), lastLoss,
            AtomicReference::get);
        registry.gauge("trainstream_trainer_consumer_lag", Tags.of("run", runId),
            consumerLag, AtomicLong::doubleValue);
    }

    void step(int batchImages, long waitNanos, StepResult result) {
        steps.increment();
        images.increment(batchImages);
        dataWait.record(waitNanos, TimeUnit.NANOSECONDS);
        stepTime.record(result.computeNanos(), TimeUnit.NANOSECONDS);
        lastLoss.set(result.loss());
    }

    void checkpoint(long nanos) {
        checkpointTime.record(nanos, TimeUnit.NANOSECONDS);
    }

    void deadLettered() {
        deadLetters.increment();
    }

    /** Records on the batch topic this run has not processed yet (fetched-but-queued ones included). */
    void consumerLag(long records) {
        consumerLag.set(records);
    }
}
