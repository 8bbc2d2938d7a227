package dev.trainstream.evaluator;

import dev.trainstream.events.GateDecision;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * Decides whether a checkpoint becomes its run's best, like TFX's Evaluator thresholds: accuracy at least the absolute
 * floor, and (when the run already has a best) better than it by at least the improvement threshold (0 = strictly
 * better). The run's first evaluated checkpoint has no baseline, so only the floor applies.
 *
 * @param minAccuracy    absolute floor on test accuracy, in [0, 1]
 * @param minImprovement required gain over the current best's accuracy, in [0, 1]
 */
public record PromotionGate(double minAccuracy, double minImprovement) {
    private static final double TOLERANCE = 1e-9;

    public PromotionGate {
        if (!(minAccuracy >= 0 && minAccuracy <= 1)) {
            throw new IllegalArgumentException("gate min accuracy must be in [0, 1], was " + minAccuracy);
        }
        if (!(minImprovement >= 0 && minImprovement <= 1)) {
            throw new IllegalArgumentException("gate min improvement must be in [0, 1], was " + minImprovement);
        }
    }

    /** The verdict for a checkpoint of {@code accuracy} given the run's current best accuracy (empty: none yet). */
    public GateDecision decide(double accuracy, OptionalDouble currentBest) {
        if (!(accuracy >= 0 && accuracy <= 1)) {
            throw new IllegalArgumentException("accuracy must be in [0, 1], was " + accuracy);
        }
        if (accuracy < minAccuracy) {
            return new GateDecision(false, false, String.format(Locale.ROOT, "accuracy %.4f below floor %.4f", accuracy,
                minAccuracy));
        }
        if (currentBest.isEmpty()) {
            return new GateDecision(true, true, String.format(Locale.ROOT,
                "accuracy %.4f meets floor %.4f; first evaluated checkpoint of the run", accuracy, minAccuracy));
        }
        double best = currentBest.getAsDouble();
        // Accuracies are ratios of counts; the tolerance keeps e.g. 0.3 - 0.2 >= 0.1 true despite binary rounding.
        boolean improves = minImprovement == 0 ? accuracy > best : accuracy - best >= minImprovement - TOLERANCE;
        if (!improves) {
            return new GateDecision(true, false, String.format(Locale.ROOT,
                "accuracy %.4f does not improve on best %.4f by %s", accuracy, best,
                minImprovement == 0 ? "any margin" : String.format(Locale.ROOT, "%.4f", minImprovement)));
        }
        return new GateDecision(true, true, String.format(Locale.ROOT, "accuracy %.4f improves on best %.4f by >= %.4f",
            accuracy, best, minImprovement));
    }

    /** The verdict when the run's best pointer already names this very checkpoint (a re-delivered promotion). */
    public GateDecision alreadyBest(double accuracy) {
        return new GateDecision(true, true, String.format(Locale.ROOT,
            "accuracy %.4f; already the run's best (promotion repeated after a re-delivery)", accuracy));
    }
}
