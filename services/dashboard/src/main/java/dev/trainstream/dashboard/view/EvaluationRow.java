package dev.trainstream.dashboard.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.trainstream.events.EvaluationCompleted;
import dev.trainstream.events.EvaluationFailed;
import dev.trainstream.events.EvaluationOutcome;
import java.time.Instant;
import java.util.List;

/**
 * One evaluation of a checkpoint as the dashboard serves it: scores for a completed one, the reason for a failed one.
 *
 * @param step             checkpoint step
 * @param checkpointUri    evaluated checkpoint
 * @param completed        true for a score, false for a failure
 * @param accuracy         overall test accuracy (completed only)
 * @param meanLoss         mean test loss (completed only)
 * @param examples         examples scored (completed only)
 * @param classes          class names in label order (completed only)
 * @param perClassAccuracy accuracy per class (completed only)
 * @param confusionMatrix  row = true class, column = predicted (completed only)
 * @param promoted         whether the gate promoted it to the run's best (completed only)
 * @param reason           the gate's reason, or why the evaluation failed
 * @param at               when the evaluation finished or gave up
 * @param testTimeAugmentation {@code hflip} when the score averaged each image with its mirror (completed only;
 *                         absent for plain scoring)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvaluationRow(long step, String checkpointUri, boolean completed, Double accuracy, Double meanLoss,
                            Long examples, List<String> classes, List<Double> perClassAccuracy,
                            List<List<Long>> confusionMatrix, Boolean promoted, String reason, Instant at,
                            String testTimeAugmentation) {

    /** A scored or failed evaluation ({@code ModelPromoted} is not an evaluation of its own: it marks the best). */
    static EvaluationRow of(EvaluationOutcome outcome) {
        if (outcome instanceof EvaluationCompleted e) {
            return new EvaluationRow(e.step(), e.checkpointUri(), true, e.accuracy(), e.meanLoss(), e.examples(),
                e.classes(), e.perClassAccuracy(), e.confusionMatrix(), e.gate().promoted(), e.gate().reason(),
                e.evaluatedAt(), e.testTimeAugmentation());
        }
        if (!(outcome instanceof EvaluationFailed f)) {
            throw new IllegalArgumentException("not a scored or failed evaluation: " + outcome.getClass().getSimpleName());
        }
        return new EvaluationRow(f.step(), f.checkpointUri(), false, null, null, null, null, null, null, null,
            f.reason(), f.failedAt(), null);
    }
}
