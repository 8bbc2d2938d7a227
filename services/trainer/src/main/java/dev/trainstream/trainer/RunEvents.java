package dev.trainstream.trainer;

import dev.trainstream.engine.model.ModelOptions;
import dev.trainstream.events.MetricRecord;
import dev.trainstream.events.ModelSpec;
import dev.trainstream.events.RunConfig;
import dev.trainstream.events.RunLifecycle;
import dev.trainstream.events.RunPhase;
import dev.trainstream.events.TrainingMetrics;
import dev.trainstream.events.TrainstreamEvent;
import dev.trainstream.events.produce.DeadLetters;
import dev.trainstream.events.produce.EventPublisher;
import dev.trainstream.events.topics.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * The run's outgoing events other than checkpoints: metrics, lifecycle, dead letters; all keyed by run id. Metric
 * events leave the training thread at once: a thread of their own encodes and sends them in order and waits for the
 * broker (a producer's send itself may block up to max.block.ms while the broker is away); the training thread checks
 * their outcome at the next metric event, and waits for all of them before the run's FINISHED or STOPPED event, so a
 * failed one still fails the run (one window later) and none is lost silently.
 */
final class RunEvents implements AutoCloseable {
    private final Deque<CompletableFuture<RecordMetadata>> pendingMetrics = new ArrayDeque<>();
    private final ExecutorService metricsThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "metrics-publisher");
        t.setDaemon(true);
        return t;
    });
    /** How long close waits for a metric event being sent (a send blocks at most the producer's max.block.ms). */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
    private final EventPublisher publisher;
    private final DeadLetters deadLetters;
    private final String runId;
    private final Clock clock;

    RunEvents(EventPublisher publisher, DeadLetters deadLetters, String runId, Clock clock) {
        this.publisher = publisher;
        this.deadLetters = deadLetters;
        this.runId = runId;
        this.clock = clock;
    }

    void started(RunConfig config, Map<String, String> provenance, long step) {
        publisher.publish(Topics.RUNS, new RunLifecycle(runId, RunPhase.STARTED, clock.instant(), config, provenance, step,
            null));
    }

    void finished(long steps, Map<String, String> provenance) {
        awaitMetrics();
        publisher.publish(Topics.RUNS, new RunLifecycle(runId, RunPhase.FINISHED, clock.instant(), null, provenance, steps,
            null));
    }

    void stopped(long steps, String reason) {
        awaitMetrics();
        publisher.publish(Topics.RUNS, new RunLifecycle(runId, RunPhase.STOPPED, clock.instant(), null, Map.of(), steps,
            reason));
    }

    void warning(long steps, String reason) {
        publisher.publish(Topics.RUNS, new RunLifecycle(runId, RunPhase.WARNING, clock.instant(), null, Map.of(), steps,
            reason));
    }

    void failed(long steps, String reason) {
        publisher.publish(Topics.RUNS, new RunLifecycle(runId, RunPhase.FAILED, clock.instant(), null, Map.of(), steps,
            reason));
    }

    /** Publishes the window's averages at {@code step}; memory figures come from this process. */
    void metrics(long step, int epoch, MetricWindow window, double learningRate) {
        long now = clock.millis();
        Runtime rt = Runtime.getRuntime();
        List<MetricRecord> records = new ArrayList<>();
        records.add(new MetricRecord("train.loss", window.meanLoss(), now, step));
        records.add(new MetricRecord("train.accuracy", window.meanAccuracy(), now, step));
        records.add(new MetricRecord("learning_rate", learningRate, now, step));
        records.add(new MetricRecord("images_per_second", window.imagesPerSecond(), now, step));
        records.add(new MetricRecord("data_wait_ms", window.dataWaitMillisPerStep(), now, step));
        records.add(new MetricRecord("epoch", epoch, now, step));
        records.add(new MetricRecord("jvm.heap.used.bytes", rt.totalMemory() - rt.freeMemory(), now, step));
        long rss = ProcessMemory.rssBytes();
        if (rss >= 0) {
            records.add(new MetricRecord("process.rss.bytes", rss, now, step));
        }
        requireDelivered(false);
        TrainingMetrics event = new TrainingMetrics(runId, records);
        pendingMetrics.add(CompletableFuture.supplyAsync(() -> publisher.publish(Topics.METRICS, event), metricsThread));
    }

    /** Waits until every metric event sent is acknowledged; throws the first failure ({@code PublishException}). */
    void awaitMetrics() {
        requireDelivered(true);
    }

    /** Drops acknowledged metric events; throws the first failed one's error; with {@code wait}, waits for all. */
    private void requireDelivered(boolean wait) {
        while (!pendingMetrics.isEmpty() && (wait || pendingMetrics.peekFirst().isDone())) {
            CompletableFuture<RecordMetadata> first = pendingMetrics.pollFirst();
            try {
                first.join();
            } catch (CompletionException e) {
                pendingMetrics.clear();
                if (e.getCause() instanceof RuntimeException cause) {
                    throw cause;
                }
                throw e;
            }
        }
    }

    /** Stops the metrics thread; a metric event still in flight is given the producer's close to finish. */
    @Override
    public void close() {
        metricsThread.shutdown();
        try {
            if (!metricsThread.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                metricsThread.shutdownNow();
            }
        } catch (InterruptedException e) {
            metricsThread.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    void deadLetter(String topic, int partition, long offset, String key, TrainstreamEvent event, String reason) {
        deadLetters.reject(topic, partition, offset, key, event, reason);
    }

    static ModelSpec modelSpec(ModelOptions options) {
        return new ModelSpec(options.widthMultiplier(), options.resolution(), options.stemStride(),
            options.activation().name(), options.numClasses(), options.dropout());
    }
}
