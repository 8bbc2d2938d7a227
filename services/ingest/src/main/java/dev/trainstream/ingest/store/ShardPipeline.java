package dev.trainstream.ingest.store;

import dev.trainstream.ingest.source.RecordSink;
import dev.trainstream.ingest.timeline.PhaseRecorder;
import dev.trainstream.storage.Sha256;
import dev.trainstream.storage.StorageException;
import dev.trainstream.storage.dataset.DatasetLayout;
import dev.trainstream.storage.dataset.DatasetStore;
import dev.trainstream.storage.dataset.ImageShape;
import dev.trainstream.storage.dataset.PixelStatistics;
import dev.trainstream.storage.dataset.Shard;
import dev.trainstream.storage.dataset.ShardCodec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;

/**
 * Cuts records handed over in their final order into content-addressed shards on a thread of its own, hashing each
 * and uploading it in parallel as soon as uploads are allowed, while the source is still being read: one core
 * decompresses, the other cuts, hashes and uploads. Shards are cut across block boundaries exactly as if each split
 * were one block, so equal content gives equal shards and an equal dataset id however the source arrives. Nothing
 * here writes a manifest: a shard no manifest names is invisible to readers.
 */
public final class ShardPipeline implements RecordSink, AutoCloseable {
    private final DatasetStore store;
    private final int recordsPerShard;
    private final CompletableFuture<?> uploadsAllowed;
    private final LongConsumer uploadedBytes;
    private final PhaseRecorder phases;
    private final ExecutorService cutter;
    private final ExecutorService uploader;
    private final AtomicLong uploaded = new AtomicLong();
    private final AtomicInteger freshUploads = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final List<Future<Boolean>> uploads = new ArrayList<>();
    private final Map<Split, SplitState> splits = new EnumMap<>(Split.class);
    private ImageShape shape;
    private PixelStatistics.Accumulator statistics;

    /** One encoded shard: its record count, content address and size (its bytes belong to its upload task). */
    record EncodedShard(int records, String digest, String key, long size) {
    }

    /** Everything cut: each split's shards in order and label counts, the shape and the train pixel statistics. */
    public record Cut(ImageShape shape, List<EncodedShard> train, List<EncodedShard> test, long[] trainPerLabel,
                      long[] testPerLabel, PixelStatistics statistics) {
        public long trainRecords() {
            return train.stream().mapToLong(EncodedShard::records).sum();
        }

        public long testRecords() {
            return test.stream().mapToLong(EncodedShard::records).sum();
        }
    }

    /** What the uploads did: shards newly stored, shards already present, bytes sent. */
    public record Uploaded(int fresh, int present, long bytes) {
    }

    private final class SplitState {
        final List<EncodedShard> shards = new ArrayList<>();
        long[] perLabel = new long[16];
        ShardCodec.Writer open;
    }

    /**
     * @param uploadsAllowed the first upload waits for it (ingest's Kafka check and bucket); if it fails, nothing is
     *                       uploaded and the pipeline fails with its error
     */
    ShardPipeline(DatasetStore store, int recordsPerShard, int parallelUploads, CompletableFuture<?> uploadsAllowed,
                  LongConsumer uploadedBytes, PhaseRecorder phases) {
        this.store = store;
        this.recordsPerShard = recordsPerShard;
        this.uploadsAllowed = uploadsAllowed;
        this.uploadedBytes = uploadedBytes;
        this.phases = phases;
        this.cutter = Executors.newSingleThreadExecutor(daemon("shard-cut"));
        this.uploader = Executors.newFixedThreadPool(parallelUploads, daemon("shard-upload"));
        for (Split split : Split.values()) {
            splits.put(split, new SplitState());
        }
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Queues {@code block} for cutting and returns at once; throws the pipeline's failure if it has failed. */
    @Override
    public void accept(Split split, Shard block) {
        rethrowFailure();
        cutter.execute(() -> guarded(() -> cut(split, block)));
    }

    /** Cuts the last, partial shards and waits for every block to be cut (uploads may still run). */
    public Cut finish() {
        Future<?> last = cutter.submit(() -> guarded(() -> {
            for (Split split : Split.values()) {
                seal(split);
            }
        }));
        await(last);
        rethrowFailure();
        if (shape == null) {
            throw new IllegalStateException("no records were handed to the shard pipeline");
        }
        SplitState train = splits.get(Split.TRAIN);
        SplitState test = splits.get(Split.TEST);
        return new Cut(shape, List.copyOf(train.shards), List.copyOf(test.shards), train.perLabel, test.perLabel,
            statistics.result());
    }

    /** Waits for every upload; throws the first failure ({@link StorageException} for S3). */
    public Uploaded awaitUploads() {
        int fresh = 0;
        for (Future<Boolean> upload : uploads) {
            if (await(upload)) {
                fresh++;
            }
        }
        return new Uploaded(fresh, uploads.size() - fresh, uploaded.get());
    }

    /** Shards this pipeline stored that were not there before, so far (after {@link #close()}: in all). */
    public int freshUploads() {
        return freshUploads.get();
    }

    /** Stops cutting and uploading; returns once no upload of this pipeline is still running (or after 30 s). */
    @Override
    public void close() {
        cutter.shutdownNow();
        uploader.shutdownNow();
        try {
            uploader.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void cut(Split split, Shard block) {
        try (PhaseRecorder.Piece piece = phases.start("cut + hash")) {
            if (shape == null) {
                shape = block.shape();
                statistics = new PixelStatistics.Accumulator(shape);
            } else if (!shape.equals(block.shape())) {
                throw new IllegalArgumentException("records of " + block.shape() + " after records of " + shape);
            }
            SplitState state = splits.get(split);
            if (split == Split.TRAIN) {
                statistics.add(block);
            }
            for (int label : block.labels()) {
                if (label >= state.perLabel.length) {
                    state.perLabel = Arrays.copyOf(state.perLabel, Math.max(label + 1, state.perLabel.length * 2));
                }
                state.perLabel[label]++;
            }
            int at = 0;
            while (at < block.count()) {
                if (state.open == null) {
                    state.open = new ShardCodec.Writer(shape, recordsPerShard);
                }
                int take = Math.min(state.open.room(), block.count() - at);
                state.open.add(block, at, at + take);
                at += take;
                if (state.open.room() == 0) {
                    seal(split);
                }
            }
        }
    }

    /** Encodes, hashes and queues the upload of the split's open shard, if it has records. */
    private void seal(Split split) {
        SplitState state = splits.get(split);
        if (state.open == null || state.open.count() == 0) {
            return;
        }
        int records = state.open.count();
        byte[] bytes = state.open.finish();
        state.open = null;
        String digest = Sha256.hex(bytes);
        String key = DatasetLayout.shardKey(digest);
        state.shards.add(new EncodedShard(records, digest, key, bytes.length));
        uploads.add(uploadsAllowed.thenApplyAsync(allowed -> {
            try (PhaseRecorder.Piece piece = phases.start("upload")) {
                boolean fresh = store.putShardIfAbsent(key, bytes, digest);
                if (fresh) {
                    freshUploads.incrementAndGet();
                    uploadedBytes.accept(uploaded.addAndGet(bytes.length));
                }
                return fresh;
            }
        }, uploader).whenComplete((fresh, error) -> {
            if (error != null) {
                failure.compareAndSet(null, unwrap(error));
            }
        }));
    }

    private void guarded(Runnable work) {
        if (failure.get() != null) {
            return;
        }
        try {
            work.run();
        } catch (RuntimeException | Error e) {
            failure.compareAndSet(null, e);
        }
    }

    private void rethrowFailure() {
        Throwable error = failure.get();
        if (error instanceof RuntimeException re) {
            throw re;
        }
        if (error instanceof Error err) {
            throw err;
        }
        if (error != null) {
            throw new StorageException("storing shards failed: " + error, false, error);
        }
    }

    private static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private <T> T await(Future<T> result) {
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while storing shards", false, e);
        } catch (ExecutionException e) {
            failure.compareAndSet(null, unwrap(e));
            rethrowFailure();
            throw new IllegalStateException("unreachable");
        }
    }
}
