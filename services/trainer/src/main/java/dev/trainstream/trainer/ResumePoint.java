package dev.trainstream.trainer;

import dev.trainstream.engine.state.IncompatibleStateException;
import dev.trainstream.engine.state.UnsupportedStateVersionException;
import dev.trainstream.engine.training.EngineOptions;
import dev.trainstream.engine.training.TrainingSession;
import dev.trainstream.ops.lifecycle.StopAwareBackoff;
import dev.trainstream.storage.ObjectInfo;
import dev.trainstream.storage.ObjectNotFoundException;
import dev.trainstream.storage.StorageException;
import dev.trainstream.storage.checkpoint.CheckpointArchive;
import dev.trainstream.storage.checkpoint.CheckpointStore;
import dev.trainstream.storage.checkpoint.CorruptCheckpointException;
import dev.trainstream.storage.checkpoint.UnsupportedCheckpointFormatException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds where a run left off: its newest checkpoint that decodes and restores. Only a checkpoint proven unusable
 * (corrupt bytes or state, another run's, vanished since the listing) is skipped for the previous one; an outage is
 * waited out; anything else (a newer format, storage refusing the read, an engine error) fails the run, since falling
 * back would retrain steps under the same run id and overwrite checkpoints that events and pointers name by sha256.
 * Empty when the run has no usable checkpoint (a fresh start) or the service is stopping.
 */
record ResumePoint(TrainingSession session, CheckpointArchive.Metadata metadata, String key) {
    private static final Logger LOG = LoggerFactory.getLogger(ResumePoint.class);

    /**
     * Searches, waiting out retriable storage failures with {@code backoff} until {@code stopping}; adds one message
     * per skipped checkpoint to {@code skipped}.
     *
     * @throws ResumeFailedException naming the checkpoint and the cause when the run must not continue or start over
     */
    static Optional<ResumePoint> find(CheckpointStore store, String runId, EngineOptions engine, List<String> skipped,
                                      StopAwareBackoff backoff, BooleanSupplier stopping) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            List<String> skippedNow = new ArrayList<>();
            try {
                Optional<ResumePoint> found = search(store, runId, engine, skippedNow);
                skipped.addAll(skippedNow);
                return found;
            } catch (StorageException e) {
                if (!e.retriable()) {
                    throw new ResumeFailedException("run " + runId + ": cannot read its checkpoints ("
                        + e.getMessage() + "); not starting over under the same run id", e);
                }
                LOG.warn("run {}: object store unavailable while looking for a checkpoint (attempt {}); retrying in {}"
                    + " (not ready meanwhile): {}", runId, attempt, backoff.after(attempt), e.getMessage());
                if (!backoff.pause(attempt, stopping)) {
                    return Optional.empty();
                }
            }
        }
    }

    private static Optional<ResumePoint> search(CheckpointStore store, String runId, EngineOptions engine,
                                                List<String> skipped) {
        for (ObjectInfo candidate : store.listNewestFirst(runId)) {
            String name = store.objects().uri(candidate.key()).toString();
            byte[] bytes;
            try {
                bytes = store.fetchUnverified(candidate.key());
            } catch (ObjectNotFoundException e) {
                skip(runId, name, "deleted since it was listed", skipped);
                continue;
            }
            CheckpointArchive archive;
            try {
                archive = CheckpointArchive.decode(bytes, name);
            } catch (CorruptCheckpointException e) {
                skip(runId, name, e.getMessage(), skipped);
                continue;
            } catch (UnsupportedCheckpointFormatException e) {
                throw new ResumeFailedException(e.getMessage() + "; not falling back to an older checkpoint", e);
            }
            if (!archive.metadata().runId().equals(runId)) {
                skip(runId, name, "it belongs to run " + archive.metadata().runId(), skipped);
                continue;
            }
            Optional<TrainingSession> session = restore(archive, name, engine, runId, skipped);
            if (session.isPresent()) {
                LOG.info("run {}: resuming from {} (step {}, epoch {})", runId, candidate.key(),
                    archive.metadata().step(), archive.metadata().epoch());
                return Optional.of(new ResumePoint(session.get(), archive.metadata(), candidate.key()));
            }
        }
        return Optional.empty();
    }

    /** The restored session; empty (and noted) when the state is proven corrupt. */
    private static Optional<TrainingSession> restore(CheckpointArchive archive, String name, EngineOptions engine,
                                                     String runId, List<String> skipped) {
        try {
            return Optional.of(TrainingSession.restore(new ByteArrayInputStream(archive.engineState()), engine));
        } catch (UnsupportedStateVersionException e) {
            throw new ResumeFailedException("checkpoint " + name + ": " + e.getMessage()
                + "; not falling back to an older checkpoint", e);
        } catch (IncompatibleStateException e) {
            skip(runId, name, "its training state is unusable: " + e.getMessage(), skipped);
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            throw new ResumeFailedException("checkpoint " + name + " could not be restored by the engine ("
                + e + "); not falling back to an older checkpoint", e);
        }
    }

    private static void skip(String runId, String name, String why, List<String> skipped) {
        LOG.warn("run {}: checkpoint {} is unusable ({}); falling back to the previous one", runId, name, why);
        skipped.add("checkpoint " + name + " is unusable (" + why + "); resumed from an older one");
    }
}
