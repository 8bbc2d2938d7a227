package dev.trainstream.storage;

/** The named object does not exist (a fatal answer for that object; the store itself is fine). */
public final class ObjectNotFoundException extends StorageException {
    public ObjectNotFoundException(ObjectUri uri, Throwable cause) {
        this(uri.toString(), cause);
    }

    /** @param object the object's address as the caller knows it, e.g. {@code s3://bucket/key} */
    public ObjectNotFoundException(String object, Throwable cause) {
        super("object not found: " + object, false, cause);
    }
}
