package dev.trainstream.trainer;

import dev.trainstream.engine.training.StepResult;
import dev.trainstream.events.BatchReference;
import dev.trainstream.events.topics.Topics;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a trainer run reports about its steps, in one place: the metric window behind each metric event and log line,
 * the window behind each checkpoint's training loss and accuracy, the meters, the progress bar, and the count of
 * dead-lettered batches (poisoned ones and those the consumer rejected against their schema).
 */
final class StepMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(StepMetrics.class);

    private final String runId;
    private final RunEvents events;
    private final TrainerMeters meters;
    private final TrainingProgress progress;
    private final MetricWindow window = new MetricWindow();
    private final MetricWindow checkpointWindow = new MetricWindow();
    private long deadLettered;
    private long schemaRejections;
    private double lastLoss = Double.NaN;

    StepMetrics(String runId, RunEvents events, TrainerMeters meters, TrainingProgress progress) {
        this.runId = runId;
        this.events = events;
        this.meters = meters;
        this.progress = progress;
    }

    /** One trained step of {@code reference}, with how long it waited for its batch. */
    void stepped(BatchReference reference, StepResult result, int images, long waitNanos) {
        window.add(result, images, waitNanos);
        checkpointWindow.add(result, images, waitNanos);
        progress.stepped(reference.epoch(), reference.step() + 1, reference.stepsInEpoch(), result, images);
        meters.step(images, waitNanos, result);
        lastLoss = result.loss();
    }

    /** Logs and publishes the window since the last emission (nothing when no step was trained since). */
    void emit(long globalStep, int epochsDone) {
        if (window.isEmpty()) {
            return;
        }
        LOG.info(String.format(Locale.ROOT,
            "run %s: epoch %d step %d loss %.4f acc %.3f lr %.4g %.0f img/s data-wait %.1f ms/step", runId,
            epochsDone + 1, globalStep, window.meanLoss(), window.meanAccuracy(), window.last().learningRate(),
            window.imagesPerSecond(), window.dataWaitMillisPerStep()));
        events.metrics(globalStep, epochsDone, window, window.last().learningRate());
        window.reset();
    }

    /** Mean training loss since the last checkpoint; NaN when none was trained since. */
    double checkpointLoss() {
        return checkpointWindow.isEmpty() ? Double.NaN : checkpointWindow.meanLoss();
    }

    /** Mean training accuracy since the last checkpoint; NaN when none was trained since. */
    double checkpointAccuracy() {
        return checkpointWindow.isEmpty() ? Double.NaN : checkpointWindow.meanAccuracy();
    }

    /** A checkpoint was written, taking {@code nanos}; the next one's window starts now. */
    void checkpointed(long nanos) {
        checkpointWindow.reset();
        meters.checkpoint(nanos);
    }

    /** A batch that can never be trained: logged, announced as a dead letter, counted. */
    void poisoned(int partition, long offset, BatchReference reference, Throwable cause) {
        deadLettered++;
        meters.deadLettered();
        LOG.warn("run {}: batch at {}-{} offset {} dead-lettered: {}", runId, Topics.BATCHES.name(), partition, offset,
            cause.getMessage());
        events.deadLetter(Topics.BATCHES.name(), partition, offset, reference.datasetId(), reference,
            cause.getMessage() == null || cause.getMessage().isBlank() ? cause.toString() : cause.getMessage());
    }

    /** Batch records the consumer dead-lettered for failing their schema count as this run's too. */
    void schemaRejected(long rejectedSoFar) {
        while (schemaRejections < rejectedSoFar) {
            schemaRejections++;
            deadLettered++;
            meters.deadLettered();
        }
    }

    long deadLettered() {
        return deadLettered;
    }

    /** The loss of the last trained step; NaN before the first. */
    double lastLoss() {
        return lastLoss;
    }
}
