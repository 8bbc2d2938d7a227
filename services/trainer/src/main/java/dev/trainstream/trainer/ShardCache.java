package dev.trainstream.trainer;

import dev.trainstream.storage.dataset.DatasetManifest;
import dev.trainstream.storage.dataset.DatasetStore;
import dev.trainstream.storage.dataset.Shard;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A bounded, shared LRU of decoded shards keyed by digest. Each shard is fetched once (sha256-verified by the dataset
 * store) even when several prefetch workers ask at the same time; least recently used shards are evicted past the
 * byte budget.
 */
final class ShardCache {
    private final DatasetStore store;
    private final long budgetBytes;
    private final LinkedHashMap<String, CompletableFuture<Shard>> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long heldBytes;
    private long misses;

    ShardCache(DatasetStore store, long budgetBytes) {
        this.store = store;
        this.budgetBytes = budgetBytes;
    }

    /** The shard; loads it on a miss (on the calling thread). Storage failures propagate unchanged. */
    Shard get(DatasetManifest.ShardRef ref) {
        CompletableFuture<Shard> future;
        boolean loader = false;
        synchronized (this) {
            future = entries.get(ref.digest());
            if (future == null) {
                future = new CompletableFuture<>();
                entries.put(ref.digest(), future);
                loader = true;
                misses++;
            }
        }
        if (loader) {
            try {
                Shard shard = store.readShard(ref);
                future.complete(shard);
                admit(ref.digest(), shard);
            } catch (RuntimeException e) {
                synchronized (this) {
                    entries.remove(ref.digest());
                }
                future.completeExceptionally(e);
                throw e;
            }
        }
        try {
            return future.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : e;
        }
    }

    synchronized long misses() {
        return misses;
    }

    private synchronized void admit(String digest, Shard shard) {
        heldBytes += shard.pixels().length;
        Iterator<Map.Entry<String, CompletableFuture<Shard>>> it = entries.entrySet().iterator();
        while (heldBytes > budgetBytes && it.hasNext()) {
            Map.Entry<String, CompletableFuture<Shard>> eldest = it.next();
            if (eldest.getKey().equals(digest) || !eldest.getValue().isDone()) {
                continue;
            }
            heldBytes -= eldest.getValue().join().pixels().length;
            it.remove();
        }
    }
}
