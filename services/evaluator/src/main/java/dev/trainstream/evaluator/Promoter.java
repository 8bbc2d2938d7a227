package dev.trainstream.evaluator;

import dev.trainstream.events.CheckpointCreated;
import dev.trainstream.events.EvaluationCompleted;
import dev.trainstream.events.GateDecision;
import dev.trainstream.events.ModelPromoted;
import dev.trainstream.storage.checkpoint.BestModelPointer;
import dev.trainstream.storage.checkpoint.BestModelStore;
import java.time.Clock;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a checkpoint the gate passed its run's best, safely when two evaluators score the same run (a rebalance, a
 * rolling update): the pointer is replaced only at the version this promoter read, with S3's conditional PUT, and
 * only if the checkpoint still beats what that version names. A promotion that loses to a better one promoted
 * meanwhile becomes a "not promoted" verdict instead of replacing it, so {@code best.json} never moves to a worse
 * checkpoint.
 */
final class Promoter {
    private static final Logger LOG = LoggerFactory.getLogger(Promoter.class);
    /** Each lost round means another evaluator promoted meanwhile; a handful is already an unusual storm. */
    private static final int ROUNDS = 5;

    private final BestModelStore best;
    private final PromotionGate gate;
    private final Clock clock;

    Promoter(BestModelStore best, PromotionGate gate, Clock clock) {
        this.best = best;
        this.gate = gate;
        this.clock = clock;
    }

    /** The evaluation as it is to be published, and the promotion to announce after it, if one happened. */
    record Outcome(EvaluationCompleted evaluation, Optional<ModelPromoted> promotion) {
    }

    /** Promotes {@code result} (whose gate said promote) unless a better checkpoint is, or becomes, the run's best. */
    Outcome promote(CheckpointCreated event, EvaluationCompleted result) {
        for (int round = 1; round <= ROUNDS; round++) {
            BestModelStore.Versioned seen = best.currentVersioned(event.runId());
            Optional<BestModelPointer> current = seen.pointer();
            if (current.isPresent() && current.get().checkpointUri().equals(event.checkpointUri())) {
                // This checkpoint already: a re-delivery after a crash, or our own retried PUT that landed.
                BestModelPointer pointer = current.get();
                return new Outcome(result, Optional.of(announcement(event, result, pointer)));
            }
            Optional<GateDecision> lost = current.flatMap(other -> lostTo(result, other));
            if (lost.isPresent()) {
                LOG.info("run {}: not promoting {} (accuracy {}): {}", event.runId(), event.checkpointUri(),
                    result.accuracy(), lost.get().reason());
                return new Outcome(result.withGate(lost.get()), Optional.empty());
            }
            BestModelPointer pointer = new BestModelPointer(event.runId(), event.checkpointUri(), event.sha256(),
                event.step(), event.epoch(), result.accuracy(), result.meanLoss(), clock.instant(),
                current.map(BestModelPointer::checkpointUri).orElse(null),
                current.map(BestModelPointer::accuracy).orElse(null), result.testTimeAugmentation());
            if (best.replaceIfUnchanged(pointer, seen)) {
                return new Outcome(result, Optional.of(announcement(event, result, pointer)));
            }
            LOG.info("run {}: the best pointer changed while {} was being promoted (round {} of {}); deciding again",
                event.runId(), event.checkpointUri(), round, ROUNDS);
        }
        throw new IllegalStateException("run " + event.runId() + ": the best pointer kept changing for " + ROUNDS
            + " rounds while promoting " + event.checkpointUri() + "; several evaluators are promoting this run");
    }

    /**
     * The verdict if {@code other} (the run's best now, which the gate may not have seen) is at least as good; empty
     * if {@code result} still beats it. Scores taken another way (test-time augmentation) are not comparable here:
     * the gate already rescored the best this evaluator's way, so its verdict stands.
     */
    private Optional<GateDecision> lostTo(EvaluationCompleted result, BestModelPointer other) {
        if (!Objects.equals(other.testTimeAugmentation(), result.testTimeAugmentation())) {
            return Optional.empty();
        }
        GateDecision again = gate.decide(result.accuracy(), OptionalDouble.of(other.accuracy()));
        if (again.promoted()) {
            return Optional.empty();
        }
        return Optional.of(new GateDecision(true, false, String.format(Locale.ROOT,
            "%s (step %d, accuracy %.4f) became the run's best meanwhile; %s", other.checkpointUri(), other.step(),
            other.accuracy(), again.reason())));
    }

    private ModelPromoted announcement(CheckpointCreated event, EvaluationCompleted result, BestModelPointer pointer) {
        return new ModelPromoted(event.runId(), event.checkpointUri(), event.sha256(), event.step(), event.epoch(),
            result.accuracy(), result.meanLoss(), best.uri(event.runId()).toString(), pointer.previousCheckpointUri(),
            pointer.previousAccuracy(), result.gate().reason(), pointer.promotedAt());
    }
}
