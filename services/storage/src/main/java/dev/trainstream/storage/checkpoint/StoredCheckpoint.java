package dev.trainstream.storage.checkpoint;

import dev.trainstream.storage.ObjectUri;

/** A checkpoint object known to be durably written: where, its sha256 and size, and its step. */
public record StoredCheckpoint(ObjectUri uri, String sha256, long sizeBytes, long step) {
}
