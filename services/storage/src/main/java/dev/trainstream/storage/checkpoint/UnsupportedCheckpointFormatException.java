package dev.trainstream.storage.checkpoint;

/**
 * A well-formed checkpoint of a format version this build does not read (written by a newer Trainstream): not corrupt,
 * so a resume must stop instead of falling back to an older checkpoint and overwriting the newer ones.
 */
public final class UnsupportedCheckpointFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public UnsupportedCheckpointFormatException(String message) {
        super(message);
    }
}
