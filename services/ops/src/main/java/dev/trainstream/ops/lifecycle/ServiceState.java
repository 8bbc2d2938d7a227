package dev.trainstream.ops.lifecycle;

/** Where a {@link RunningService} is in its life; readable from any thread (logs, tests, health). */
public enum ServiceState {
    /** Its thread runs {@link Service#run()}. */
    RUNNING,
    /** {@link Service#run()} returned or threw and {@link Service#close()} ran. */
    CLOSED
}
