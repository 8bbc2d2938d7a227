package dev.trainstream.evaluator;

import dev.trainstream.engine.data.LabeledImages;
import dev.trainstream.storage.dataset.DatasetManifest;
import dev.trainstream.storage.dataset.DatasetStore;
import dev.trainstream.storage.dataset.Shard;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/** A dataset's test split, loaded once (every shard sha256-verified) and served as fixed-size evaluation batches. */
final class TestSplit {
    private final DatasetManifest manifest;
    private final List<Shard> shards;

    private TestSplit(DatasetManifest manifest, List<Shard> shards) {
        this.manifest = manifest;
        this.shards = shards;
    }

    static TestSplit load(DatasetStore store, DatasetManifest manifest) {
        List<Shard> shards = new ArrayList<>();
        for (DatasetManifest.ShardRef ref : manifest.test().shards()) {
            shards.add(store.readShard(ref));
        }
        return new TestSplit(manifest, shards);
    }

    DatasetManifest manifest() {
        return manifest;
    }

    Iterator<LabeledImages> batches(int batchSize) {
        var shape = manifest.imageShape();
        int size = shape.pixelsPerImage();
        long total = manifest.test().records();
        return new Iterator<>() {
            private int shard;
            private int index;
            private long served;

            @Override
            public boolean hasNext() {
                return served < total;
            }

            @Override
            public LabeledImages next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int count = (int) Math.min(batchSize, total - served);
                byte[] pixels = new byte[count * size];
                int[] labels = new int[count];
                for (int i = 0; i < count; i++) {
                    while (index >= shards.get(shard).count()) {
                        shard++;
                        index = 0;
                    }
                    Shard s = shards.get(shard);
                    s.copyImage(index, pixels, i * size);
                    labels[i] = s.labels()[index];
                    index++;
                }
                served += count;
                return new LabeledImages(count, shape.channels(), shape.height(), shape.width(), pixels, labels);
            }
        };
    }
}
