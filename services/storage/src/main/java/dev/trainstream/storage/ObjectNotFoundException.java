package dev.trainstream.storage;

/** The named object does not exist (a fatal answer for that object; the store itself is fine). */
public final class ObjectNotFoundException extends StorageException {
    public ObjectNotFoundException(ObjectUri uri, Throwable cause) {
        super("object not found: " + uri, false, cause);
    }
}
