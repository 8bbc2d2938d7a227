package dev.trainstream.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/**
 * A training run changed phase (topic trainstream.runs.v1, key = runId).
 *
 * @param runId      training run
 * @param phase      new phase
 * @param at         when the phase changed
 * @param config     the run's configuration; required for STARTED, may be null otherwise (omitted from JSON)
 * @param provenance string facts such as "java.version", "djl.version", "git.commit"; may be empty
 * @param steps      training steps completed so far
 * @param reason     why the run failed, stopped or needs attention; required for FAILED, STOPPED and WARNING, may be
 *                   null otherwise (omitted from JSON)
 */
public record RunLifecycle(String runId, RunPhase phase, Instant at,
                           @JsonInclude(JsonInclude.Include.NON_NULL) RunConfig config,
                           Map<String, String> provenance, long steps,
                           @JsonInclude(JsonInclude.Include.NON_NULL) String reason) implements TrainstreamEvent {

    public RunLifecycle {
        FieldChecks.nonBlank(runId, "runId");
        FieldChecks.nonNull(phase, "phase");
        FieldChecks.nonNull(at, "at");
        if (phase == RunPhase.STARTED && config == null) {
            throw new IllegalArgumentException("config must not be null when phase is STARTED");
        }
        provenance = FieldChecks.copy(provenance, "provenance");
        FieldChecks.atLeast(steps, 0L, "steps");
        if (phase == RunPhase.FAILED || phase == RunPhase.WARNING || phase == RunPhase.STOPPED) {
            FieldChecks.nonBlank(reason, "reason");
        } else if (reason != null && reason.isBlank()) {
            throw new IllegalArgumentException("reason must be null or non-blank");
        }
    }
}
