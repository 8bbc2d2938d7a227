package dev.trainstream.storage.checkpoint;

/**
 * The bytes are proven not to be a checkpoint (not a zip, an entry missing, metadata that does not parse): the one
 * checkpoint failure a resume may skip, since retrying or another build cannot make it readable.
 */
public final class CorruptCheckpointException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public CorruptCheckpointException(String message, Throwable cause) {
        super(message, cause);
    }

    public CorruptCheckpointException(String message) {
        super(message);
    }
}
