package dev.trainstream.storage;

/**
 * An object-store operation failed. {@link #retriable()} says whether trying again later can help (network, 5xx,
 * throttling) or not (credentials, missing bucket, bad request); callers decide with it, never by message text.
 */
public class StorageException extends RuntimeException {
    private final boolean retriable;

    public StorageException(String message, boolean retriable, Throwable cause) {
        super(message, cause);
        this.retriable = retriable;
    }

    public boolean retriable() {
        return retriable;
    }
}
