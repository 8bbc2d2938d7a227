package dev.trainstream.storage.checkpoint;

import dev.trainstream.storage.ObjectInfo;
import dev.trainstream.storage.ObjectStore;
import dev.trainstream.storage.ObjectUri;
import java.util.List;

/**
 * Checkpoint objects of runs: written with their sha256, listed newest-first, fetched only when the bytes match the
 * sha256 the caller was promised.
 */
public final class CheckpointStore {
    private final ObjectStore store;

    public CheckpointStore(ObjectStore store) {
        this.store = store;
    }

    public ObjectStore objects() {
        return store;
    }

    /** Writes the serialized training state of {@code runId} at {@code step}; returns once the PUT is acknowledged. */
    public StoredCheckpoint put(String runId, long step, byte[] state) {
        String key = CheckpointLayout.checkpointKey(runId, step);
        String sha256 = store.put(key, state, "application/octet-stream");
        return new StoredCheckpoint(store.uri(key), sha256, state.length, step);
    }

    /** The run's checkpoint objects, newest (highest step) first. */
    public List<ObjectInfo> listNewestFirst(String runId) {
        return store.list(CheckpointLayout.checkpointsPrefix(runId)).stream()
            .filter(o -> CheckpointLayout.stepOf(o.key()).isPresent())
            .sorted((a, b) -> Long.compare(CheckpointLayout.stepOf(b.key()).getAsLong(),
                CheckpointLayout.stepOf(a.key()).getAsLong()))
            .toList();
    }

    /** Fetches and verifies a checkpoint. */
    public byte[] fetch(ObjectUri uri, String sha256) {
        return store.getVerified(uri, sha256);
    }

    /** Fetches a checkpoint without a promised digest (resume scan) together with the digest it has. */
    public byte[] fetchUnverified(String key) {
        return store.get(key);
    }

    public void delete(String key) {
        store.delete(key);
    }
}
