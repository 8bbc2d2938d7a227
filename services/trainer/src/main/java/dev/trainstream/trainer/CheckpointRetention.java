package dev.trainstream.trainer;

import dev.trainstream.storage.ObjectInfo;
import dev.trainstream.storage.StorageException;
import dev.trainstream.storage.checkpoint.BestModelPointer;
import dev.trainstream.storage.checkpoint.BestModelStore;
import dev.trainstream.storage.checkpoint.CheckpointLayout;
import dev.trainstream.storage.checkpoint.CheckpointStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the checkpoints of a run that neither a resume, the best model nor a pending evaluation can still need.
 *
 * <p>Kept: the newest {@code keep}, the one just written, the one {@code best.json} names, and the unscored ones an
 * evaluator will come to: once it has scored any checkpoint of the run, every newer unscored one until it scores it;
 * before its first result, each for {@code evaluationHold} after it was written (a slow or late-starting evaluator
 * still finds it; a run nobody evaluates is back to {@code keep} after that long).
 *
 * <p>The order of reads is what makes it safe against a concurrent promotion: evaluation results are listed first and
 * {@code best.json} is read after them, just before deleting. The evaluator replaces {@code best.json} before it
 * writes a checkpoint's result, so a checkpoint seen as scored is seen as best if it was promoted, and one promoted
 * after the read of {@code best.json} had no result when they were listed, so it is held as pending.
 */
final class CheckpointRetention {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointRetention.class);
    private static final String RESULT_SUFFIX = ".eval.json";

    /** Where retention learns which checkpoint is the best; the evaluator's pointer in production. */
    interface BestCheckpoint {
        Optional<String> key(String runId);
    }

    private final CheckpointStore store;
    private final BestCheckpoint best;
    private final Clock clock;
    private final int keep;
    private final Duration evaluationHold;

    CheckpointRetention(CheckpointStore store, Clock clock, int keep, Duration evaluationHold) {
        this(store, runId -> new BestModelStore(store.objects()).current(runId).map(BestModelPointer::checkpointKey),
            clock, keep, evaluationHold);
    }

    CheckpointRetention(CheckpointStore store, BestCheckpoint best, Clock clock, int keep, Duration evaluationHold) {
        if (keep < 1 || evaluationHold == null || evaluationHold.isNegative()) {
            throw new IllegalArgumentException("keep must be >= 1 and the evaluation hold zero or positive");
        }
        this.store = store;
        this.best = best;
        this.clock = clock;
        this.keep = keep;
        this.evaluationHold = evaluationHold;
    }

    /**
     * Applies retention after {@code justWritten}. Best effort: an S3 failure is logged and the next checkpoint tries
     * again; an unreadable best pointer skips retention (logged) rather than risk deleting the best model.
     */
    void apply(String runId, String justWritten) {
        try {
            List<ObjectInfo> all = store.listNewestFirst(runId);
            if (all.size() <= keep) {
                return;
            }
            Set<String> scored = store.objects().list(CheckpointLayout.checkpointsPrefix(runId)).stream()
                .map(ObjectInfo::key).filter(k -> k.endsWith(RESULT_SUFFIX)).collect(Collectors.toSet());
            long newestScored = scored.stream()
                .mapToLong(k -> CheckpointLayout.stepOf(k.substring(0, k.length() - RESULT_SUFFIX.length()) + ".ckpt")
                    .orElse(-1))
                .max().orElse(-1);
            Instant now = clock.instant();
            List<String> candidates = new ArrayList<>();
            for (ObjectInfo checkpoint : all.subList(keep, all.size())) {
                if (!checkpoint.key().equals(justWritten)
                    && !pending(runId, checkpoint, scored, newestScored, now)) {
                    candidates.add(checkpoint.key());
                }
            }
            if (candidates.isEmpty()) {
                return;
            }
            String bestKey = best.key(runId).orElse("");
            for (String key : candidates) {
                if (!key.equals(bestKey)) {
                    store.delete(key);
                    LOG.debug("run {}: retention deleted {}", runId, key);
                }
            }
        } catch (BestModelStore.BestPointerUnreadableException e) {
            LOG.warn("run {}: checkpoint retention skipped, the best checkpoint cannot be told apart: {}", runId,
                e.getMessage());
        } catch (StorageException e) {
            LOG.warn("run {}: checkpoint retention failed, will retry at the next checkpoint: {}", runId,
                e.getMessage());
        }
    }

    /** Not scored yet, and an evaluator will come to it (see the class comment). */
    private boolean pending(String runId, ObjectInfo checkpoint, Set<String> scored, long newestScored, Instant now) {
        if (scored.contains(CheckpointLayout.evaluationKey(runId, checkpoint.key()))) {
            return false;
        }
        if (newestScored >= 0) {
            return CheckpointLayout.stepOf(checkpoint.key()).orElse(-1) > newestScored;
        }
        return checkpoint.lastModified() == null
            || Duration.between(checkpoint.lastModified(), now).compareTo(evaluationHold) < 0;
    }
}
