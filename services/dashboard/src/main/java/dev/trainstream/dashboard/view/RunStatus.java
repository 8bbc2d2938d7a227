package dev.trainstream.dashboard.view;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.trainstream.events.RunPhase;
import java.util.Locale;

/** What the dashboard knows about a run's phase; UNKNOWN when its lifecycle events were not (yet) seen. */
public enum RunStatus {
    UNKNOWN, RUNNING, FINISHED, STOPPED, FAILED;

    /** The status a lifecycle phase implies. */
    public static RunStatus of(RunPhase phase) {
        return switch (phase) {
            case STARTED, WARNING -> RUNNING;
            case FINISHED -> FINISHED;
            case STOPPED -> STOPPED;
            case FAILED -> FAILED;
        };
    }

    /** Lower-case name, as the API and pages show it. */
    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
