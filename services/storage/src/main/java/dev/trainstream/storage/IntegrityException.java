package dev.trainstream.storage;

/** An object's bytes do not match the sha256 its reference promised: corrupt or tampered, never retried. */
public final class IntegrityException extends StorageException {
    public IntegrityException(ObjectUri uri, String expected, String actual) {
        super("sha256 mismatch for " + uri + ": expected " + expected + ", got " + actual, false, null);
    }
}
