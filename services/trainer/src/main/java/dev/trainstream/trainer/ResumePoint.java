package dev.trainstream.trainer;

import dev.trainstream.engine.training.EngineOptions;
import dev.trainstream.engine.training.TrainingSession;
import dev.trainstream.storage.ObjectInfo;
import dev.trainstream.storage.checkpoint.CheckpointArchive;
import dev.trainstream.storage.checkpoint.CheckpointStore;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds where a run left off: its newest checkpoint that decodes and restores; a corrupt newest one is skipped with a
 * warning and the previous one used. Empty when the run has no usable checkpoint (a fresh start).
 */
record ResumePoint(TrainingSession session, CheckpointArchive.Metadata metadata, String key) {
    private static final Logger LOG = LoggerFactory.getLogger(ResumePoint.class);

    static Optional<ResumePoint> find(CheckpointStore store, String runId, EngineOptions engine) {
        return find(store, runId, engine, new ArrayList<>());
    }

    /** As {@link #find(CheckpointStore, String, EngineOptions)}, adding one message per skipped checkpoint. */
    static Optional<ResumePoint> find(CheckpointStore store, String runId, EngineOptions engine, List<String> skipped) {
        List<ObjectInfo> candidates = store.listNewestFirst(runId);
        for (ObjectInfo candidate : candidates) {
            try {
                byte[] bytes = store.fetchUnverified(candidate.key());
                CheckpointArchive archive = CheckpointArchive.decode(bytes, store.objects().uri(candidate.key()).toString());
                if (!archive.metadata().runId().equals(runId)) {
                    throw new IllegalArgumentException("checkpoint belongs to run " + archive.metadata().runId());
                }
                TrainingSession session = TrainingSession.restore(new ByteArrayInputStream(archive.engineState()), engine);
                LOG.info("run {}: resuming from {} (step {}, epoch {})", runId, candidate.key(),
                    archive.metadata().step(), archive.metadata().epoch());
                return Optional.of(new ResumePoint(session, archive.metadata(), candidate.key()));
            } catch (Exception e) {
                LOG.warn("run {}: checkpoint {} is unusable ({}); falling back to the previous one", runId,
                    candidate.key(), e.getMessage());
                skipped.add("checkpoint " + store.objects().uri(candidate.key()) + " is unusable (" + e.getMessage()
                    + "); resumed from an older one");
            }
        }
        return Optional.empty();
    }
}
