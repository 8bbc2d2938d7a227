package dev.trainstream.ingest.publish;

import dev.trainstream.events.BatchReference;
import dev.trainstream.events.ShardSlice;
import dev.trainstream.storage.dataset.DatasetManifest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Cuts one epoch of the training split into batch references: a fresh permutation per epoch, seeded by (seed, epoch)
 * so the same seed always yields the same batches, each batch naming (shard digest, record index) pairs.
 */
public final class BatchPlanner {
    private final DatasetManifest manifest;
    private final String manifestKey;
    private final int batchSize;
    private final long seed;

    public BatchPlanner(DatasetManifest manifest, String manifestKey, int batchSize, long seed) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, was " + batchSize);
        }
        if (manifest.train().records() < 1) {
            throw new IllegalArgumentException("dataset " + manifest.datasetId() + " has no training records");
        }
        this.manifest = manifest;
        this.manifestKey = manifestKey;
        this.batchSize = batchSize;
        this.seed = seed;
    }

    public int stepsPerEpoch() {
        return (int) ((manifest.train().records() + batchSize - 1) / batchSize);
    }

    /** All batch references of {@code epoch}, in step order. */
    public List<BatchReference> plan(int epoch) {
        int n = Math.toIntExact(manifest.train().records());
        int[] order = permutation(n, new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch));
        List<DatasetManifest.ShardRef> shards = manifest.train().shards();
        int steps = stepsPerEpoch();
        List<BatchReference> batches = new ArrayList<>(steps);
        for (int step = 0; step < steps; step++) {
            Map<String, List<Integer>> byShard = new LinkedHashMap<>();
            int end = Math.min(n, (step + 1) * batchSize);
            for (int i = step * batchSize; i < end; i++) {
                DatasetManifest.ShardRef shard = locate(shards, order[i]);
                byShard.computeIfAbsent(shard.digest(), k -> new ArrayList<>()).add((int) (order[i] - shard.firstRecord()));
            }
            List<ShardSlice> slices = byShard.entrySet().stream().map(e -> new ShardSlice(e.getKey(), e.getValue())).toList();
            batches.add(new BatchReference(manifest.datasetId(), manifestKey, epoch, step, steps, batchSize, slices));
        }
        return batches;
    }

    private static int[] permutation(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    private static DatasetManifest.ShardRef locate(List<DatasetManifest.ShardRef> shards, long record) {
        int lo = 0;
        int hi = shards.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (shards.get(mid).firstRecord() <= record) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return shards.get(lo);
    }
}
