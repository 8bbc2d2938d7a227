package dev.trainstream.trainer;

import dev.trainstream.engine.training.TrainingSession;
import dev.trainstream.events.CheckpointCreated;
import dev.trainstream.events.PartitionOffset;
import dev.trainstream.events.consume.CommitStamp;
import dev.trainstream.events.consume.TypedConsumer;
import dev.trainstream.events.produce.EventPublisher;
import dev.trainstream.events.topics.Topics;
import dev.trainstream.storage.checkpoint.CheckpointArchive;
import dev.trainstream.storage.checkpoint.CheckpointStore;
import dev.trainstream.storage.checkpoint.StoredCheckpoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a checkpoint in the only safe order: object durably in S3 (with the next offset of every batch partition
 * inside it), then the checkpoint event, then the consumer group's offsets (for lag monitoring and ingest's
 * backpressure only; resume uses the offsets in the checkpoint). Then applies retention.
 */
final class Checkpointer {
    private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);

    private final CheckpointStore store;
    private final EventPublisher publisher;
    private final Clock clock;
    private final CheckpointRetention retention;

    Checkpointer(CheckpointStore store, EventPublisher publisher, Clock clock, CheckpointRetention retention) {
        this.store = store;
        this.publisher = publisher;
        this.clock = clock;
        this.retention = retention;
    }

    /** What the trainer knows at the moment of the checkpoint, besides the engine state. */
    record Position(String runId, int epoch, long batchesConsumed, String datasetId, String manifestKey,
                    List<String> classes, Map<Integer, Long> nextOffsets, Map<String, String> provenance,
                    double trainLoss, double trainAccuracy) {
    }

    StoredCheckpoint write(TrainingSession session, Position position, TypedConsumer<?> consumer) {
        ByteArrayOutputStream state = new ByteArrayOutputStream();
        try {
            session.save(state);
        } catch (IOException e) {
            throw new UncheckedIOException("saving the training state of run " + position.runId() + " failed", e);
        }
        long step = session.globalStep();
        CheckpointArchive archive = new CheckpointArchive(new CheckpointArchive.Metadata(
            CheckpointArchive.Metadata.FORMAT_VERSION, position.runId(), step, position.epoch(),
            position.batchesConsumed(), position.datasetId(), position.manifestKey(), position.classes(),
            position.nextOffsets(), position.provenance(), clock.instant()), state.toByteArray());
        StoredCheckpoint stored = store.put(position.runId(), step, archive.encode());
        CrashPoint.AFTER_OBJECT.reached(step);
        List<PartitionOffset> offsets = position.nextOffsets().entrySet().stream()
            .map(e -> new PartitionOffset(e.getKey(), e.getValue()))
            .sorted(Comparator.comparingInt(PartitionOffset::partition)).toList();
        publisher.publish(Topics.CHECKPOINTS, new CheckpointCreated(position.runId(), stored.uri().toString(),
            stored.sha256(), stored.sizeBytes(), step, position.epoch(), position.datasetId(), position.manifestKey(),
            offsets, RunEvents.modelSpec(session.model()), finiteOr(position.trainLoss(), 0),
            Math.max(0, Math.min(1, finiteOr(position.trainAccuracy(), 0))), clock.instant()));
        CrashPoint.BEFORE_COMMIT.reached(step);
        commit(position, consumer, step, new CommitStamp(clock.instant(), position.runId()));
        CrashPoint.AFTER_COMMIT.reached(step);
        LOG.info("run {}: checkpoint at step {} (epoch {}) -> {} ({} bytes)", position.runId(), step, position.epoch(),
            stored.uri(), stored.sizeBytes());
        retention.apply(position.runId(), stored.uri().key());
        return stored;
    }

    /**
     * Commits the group's offsets, stamped with the run and the time, so backpressure can tell this run from an
     * abandoned one. Only lag monitoring and backpressure read them (resume seeks to the checkpoint's offsets), so a
     * retriable failure (broker restarting, coordinator moving) is logged and the next checkpoint commits again.
     */
    private static void commit(Position position, TypedConsumer<?> consumer, long step, CommitStamp stamp) {
        try {
            consumer.commit(position.nextOffsets(), stamp.encode());
        } catch (RetriableException e) {
            LOG.warn("run {}: committing offsets {} of the checkpoint at step {} failed (read by lag monitoring and "
                + "backpressure only; the next checkpoint commits again): {}", position.runId(), position.nextOffsets(), step, e.toString());
        }
    }

    private static double finiteOr(double value, double fallback) {
        return Double.isFinite(value) ? value : fallback;
    }
}
