package dev.trainstream.evaluator;

import dev.trainstream.events.GateDecision;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * Decides whether a checkpoint becomes its run's best: accuracy at least the absolute floor, and (when the run
 * already has a best) better than it by at least the improvement threshold. The first checkpoint has no baseline.
 */
public record PromotionGate(double minAccuracy, double minImprovement) {
    public GateDecision decide(double accuracy, OptionalDouble currentBest) {
        if (accuracy < minAccuracy) {
            return new GateDecision(false, false, String.format(Locale.ROOT, "accuracy %.4f below floor %.4f", accuracy,
                minAccuracy));
        }
        if (currentBest.isEmpty()) {
            return new GateDecision(true, true, String.format(Locale.ROOT,
                "accuracy %.4f meets floor %.4f; first evaluated checkpoint of the run", accuracy, minAccuracy));
        }
        double best = currentBest.getAsDouble();
        boolean improves = minImprovement == 0 ? accuracy > best : accuracy >= best + minImprovement;
        if (!improves) {
            return new GateDecision(true, false, String.format(Locale.ROOT,
                "accuracy %.4f does not improve on best %.4f by %.4f", accuracy, best, minImprovement));
        }
        return new GateDecision(true, true, String.format(Locale.ROOT, "accuracy %.4f improves on best %.4f", accuracy,
            best));
    }
}
