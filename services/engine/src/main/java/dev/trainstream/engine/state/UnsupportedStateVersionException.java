package dev.trainstream.engine.state;

/**
 * A well-formed training state of a format version this build does not read: distinct from corruption so a resume
 * fails the run instead of skipping a checkpoint a newer build wrote.
 */
public final class UnsupportedStateVersionException extends IncompatibleStateException {
    private static final long serialVersionUID = 1L;

    public UnsupportedStateVersionException(String message) {
        super(message);
    }
}
