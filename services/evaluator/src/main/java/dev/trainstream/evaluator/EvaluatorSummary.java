package dev.trainstream.evaluator;

/**
 * What one evaluator instance did before it stopped, returned by {@link EvaluatorRun#run()} (the launcher prints it).
 *
 * @param scored        checkpoints scored and announced by this instance
 * @param failed        checkpoints that could not be evaluated (evaluation-failed event + dead letter)
 * @param promoted      promotions this instance made
 * @param alreadyScored re-delivered checkpoints skipped because their result was stored
 */
public record EvaluatorSummary(long scored, long failed, long promoted, long alreadyScored) {

    /** One line for the console. */
    public String render() {
        return "evaluator: " + scored + " checkpoints scored, " + failed + " failed, " + promoted + " promotions, "
            + alreadyScored + " already scored";
    }
}
