package dev.trainstream.trainer;

import dev.trainstream.engine.data.LabeledImages;
import dev.trainstream.events.BatchReference;
import dev.trainstream.events.ShardSlice;
import dev.trainstream.storage.dataset.DatasetManifest;
import dev.trainstream.storage.dataset.Shard;

/** Turns a batch reference into the minibatch it names, reading shards through the cache. */
final class BatchAssembler {
    /**
     * Each look-ahead worker assembles into its own arrays: the raw batch lives only until the same worker has
     * prepared it (augmented into a float array), so the next batch of that worker may overwrite it.
     */
    private static final ThreadLocal<RawBuffers> RAW = ThreadLocal.withInitial(RawBuffers::new);

    private final DatasetManifest manifest;
    private final ShardCache cache;
    private final int batchSize;

    /** @param batchSize the run's batch size: no reference may name more records (its buffer is sized by them) */
    BatchAssembler(DatasetManifest manifest, ShardCache cache, int batchSize) {
        this.manifest = manifest;
        this.cache = cache;
        this.batchSize = batchSize;
    }

    /**
     * Throws {@link PoisonedBatchException} when the reference names more records than the run's batch size, or shards
     * or records the dataset lacks; storage
     * failures (missing object, sha256 mismatch, outage) propagate as they are.
     */
    /** A worker's reusable raw arrays, replaced when a batch of another size comes (an epoch's short last one). */
    private static final class RawBuffers {
        private byte[] pixels = new byte[0];
        private int[] labels = new int[0];

        byte[] pixels(int length) {
            if (pixels.length != length) {
                pixels = new byte[length];
            }
            return pixels;
        }

        int[] labels(int length) {
            if (labels.length != length) {
                labels = new int[length];
            }
            return labels;
        }
    }

    /**
     * The minibatch {@code batch} names, in arrays the calling thread reuses for its next batch: prepare it on this
     * thread before assembling another.
     */
    LabeledImages assemble(BatchReference batch) {
        int count = batch.recordCount();
        if (count > batchSize || batch.batchSize() != batchSize) {
            // Checked before anything is allocated: the buffer below is sized by the reference's own count.
            throw new PoisonedBatchException("batch epoch " + batch.epoch() + " step " + batch.step() + " names "
                + count + " records with batch size " + batch.batchSize() + "; this run trains batches of at most "
                + batchSize + " records");
        }
        var shape = manifest.imageShape();
        int size = shape.pixelsPerImage();
        RawBuffers buffers = RAW.get();
        byte[] pixels = buffers.pixels(Math.multiplyExact(count, size));
        int[] labels = buffers.labels(count);
        int n = 0;
        for (ShardSlice slice : batch.entries()) {
            DatasetManifest.ShardRef ref;
            try {
                ref = manifest.train().shard(slice.shardDigest());
            } catch (IllegalArgumentException e) {
                throw new PoisonedBatchException("batch epoch " + batch.epoch() + " step " + batch.step()
                    + " names shard " + slice.shardDigest() + " which dataset " + manifest.datasetId() + " does not have");
            }
            Shard shard;
            try {
                shard = cache.get(ref);
            } catch (IllegalArgumentException e) {
                // The bytes matched the manifest's sha256 yet do not decode: the dataset itself is bad here.
                throw new PoisonedBatchException("batch epoch " + batch.epoch() + " step " + batch.step()
                    + " names shard " + ref.key() + " which does not decode: " + e.getMessage(), e);
            }
            for (int index : slice.indices()) {
                if (index < 0 || index >= shard.count()) {
                    throw new PoisonedBatchException("batch epoch " + batch.epoch() + " step " + batch.step()
                        + " names record " + index + " of shard " + ref.key() + " which holds " + shard.count());
                }
                shard.copyImage(index, pixels, n * size);
                labels[n++] = shard.labels()[index];
            }
        }
        return new LabeledImages(count, shape.channels(), shape.height(), shape.width(), pixels, labels);
    }
}
