package dev.trainstream.storage.dataset;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.trainstream.storage.ObjectStore;
import dev.trainstream.storage.Sha256;
import dev.trainstream.storage.StorageException;
import java.io.IOException;

/** Reads and writes datasets (shards and manifests) in the object store, verifying every shard's sha256 on read. */
public final class DatasetStore {
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .enable(SerializationFeature.INDENT_OUTPUT)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final ObjectStore store;

    public DatasetStore(ObjectStore store) {
        this.store = store;
    }

    public ObjectStore objects() {
        return store;
    }

    /** Uploads an encoded shard unless an object with that content address already exists; true if uploaded. */
    public boolean putShardIfAbsent(String key, byte[] encoded) {
        return putShardIfAbsent(key, encoded, Sha256.hex(encoded));
    }

    /** As {@link #putShardIfAbsent(String, byte[])} with the shard's sha256 already computed by the caller. */
    public boolean putShardIfAbsent(String key, byte[] encoded, String sha256) {
        if (store.exists(key)) {
            return false;
        }
        store.put(key, encoded, "application/octet-stream", sha256);
        return true;
    }

    public boolean manifestExists(String datasetId) {
        return store.exists(DatasetLayout.manifestKey(datasetId));
    }

    /** Writes the manifest; call only after every shard it names is stored. */
    public void putManifest(DatasetManifest manifest) {
        try {
            store.put(DatasetLayout.manifestKey(manifest.datasetId()), JSON.writeValueAsBytes(manifest), "application/json");
        } catch (IOException e) {
            throw new StorageException("cannot serialise manifest of " + manifest.datasetId(), false, e);
        }
    }

    public DatasetManifest readManifest(String manifestKey) {
        byte[] bytes = store.get(manifestKey);
        try {
            return JSON.readValue(bytes, DatasetManifest.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new StorageException("manifest " + store.uri(manifestKey) + " is not a valid dataset manifest: "
                + e.getMessage(), false, e);
        }
    }

    /** Fetches, verifies (sha256 = digest) and decodes a shard. */
    public Shard readShard(DatasetManifest.ShardRef ref) {
        byte[] bytes = store.getVerified(store.uri(ref.key()), ref.digest());
        return ShardCodec.decode(bytes, store.uri(ref.key()).toString());
    }

    /** The JSON form of a manifest (for tests and tools). */
    public static byte[] toJson(DatasetManifest manifest) throws IOException {
        return JSON.writeValueAsBytes(manifest);
    }
}
