package dev.trainstream.evaluator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The evaluator's Prometheus meters: evaluations completed / failed, checkpoints skipped (already scored, or passed
 * over while catching up), promotions, scoring duration, and the checkpoint consumer's lag in events.
 */
final class EvaluatorMeters {
    static final String EVALUATIONS = "trainstream_evaluator_evaluations";
    static final String SKIPPED = "trainstream_evaluator_skipped";
    static final String PROMOTIONS = "trainstream_evaluator_promotions";
    static final String DURATION = "trainstream_evaluator_duration";
    static final String LAG = "trainstream_evaluator_consumer_lag";

    private final Counter completed;
    private final Counter failed;
    private final Counter alreadyScored;
    private final Counter caughtUp;
    private final Counter leftToNewOwner;
    private final Counter promotions;
    private final Timer duration;
    private final AtomicLong lag = new AtomicLong();

    EvaluatorMeters(MeterRegistry registry) {
        completed = Counter.builder(EVALUATIONS).tag("outcome", "completed")
            .description("Checkpoints scored and announced").register(registry);
        failed = Counter.builder(EVALUATIONS).tag("outcome", "failed")
            .description("Checkpoints that could not be scored (missing, corrupt, incompatible)").register(registry);
        alreadyScored = Counter.builder(SKIPPED).tag("reason", "already_scored")
            .description("Re-delivered checkpoint events whose result object already exists").register(registry);
        caughtUp = Counter.builder(SKIPPED).tag("reason", "catch_up")
            .description("Checkpoints passed over while catching up (a newer one of the run was waiting)")
            .register(registry);
        leftToNewOwner = Counter.builder(SKIPPED).tag("reason", "partition_moved")
            .description("Checkpoint events left to the evaluator their partition moved to").register(registry);
        promotions = Counter.builder(PROMOTIONS).description("Checkpoints promoted to their run's best")
            .register(registry);
        duration = Timer.builder(DURATION).description("Time to fetch, score and announce one checkpoint")
            .register(registry);
        Gauge.builder(LAG, lag, AtomicLong::get).description("Checkpoint events not yet handled by this instance")
            .register(registry);
    }

    void completed(long nanos) {
        duration.record(nanos, TimeUnit.NANOSECONDS);
        completed.increment();
    }

    void failed() {
        failed.increment();
    }

    void alreadyScored() {
        alreadyScored.increment();
    }

    void caughtUp() {
        caughtUp.increment();
    }

    void leftToNewOwner() {
        leftToNewOwner.increment();
    }

    void promoted() {
        promotions.increment();
    }

    void lag(long events) {
        lag.set(events);
    }
}
