package dev.trainstream.events;

/** Lifecycle phases of a training run. */
public enum RunPhase {
    /** The run began; its config is attached. */
    STARTED,
    /** The run completed all epochs. */
    FINISHED,
    /**
     * The run was asked to stop (SIGTERM, pod deletion) before its last epoch, wrote a final checkpoint and exited
     * cleanly; starting the trainer again with the same run id resumes it. The reason is attached.
     */
    STOPPED,
    /** The run stopped on an error; the reason is attached. */
    FAILED,
    /** The run goes on, but something needs attention (e.g. a corrupt checkpoint was skipped); the reason is attached. */
    WARNING
}
