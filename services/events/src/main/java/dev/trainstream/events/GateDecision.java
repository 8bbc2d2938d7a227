package dev.trainstream.events;

/**
 * The promotion gate's verdict on an evaluated checkpoint.
 *
 * @param passed   whether the checkpoint met the gate's thresholds
 * @param promoted whether it was promoted (only a passed checkpoint can be)
 * @param reason   human-readable explanation, non-blank
 */
public record GateDecision(boolean passed, boolean promoted, String reason) {

    public GateDecision {
        if (promoted && !passed) {
            throw new IllegalArgumentException("promoted must be false when passed is false");
        }
        FieldChecks.nonBlank(reason, "reason");
    }
}
