package dev.trainstream.events;

/** Lifecycle phases of a training run. */
public enum RunPhase {
    /** The run began; its config is attached. */
    STARTED,
    /** The run completed all epochs. */
    FINISHED,
    /** The run stopped on an error; the reason is attached. */
    FAILED,
    /** The run goes on, but something needs attention (e.g. a corrupt checkpoint was skipped); the reason is attached. */
    WARNING
}
