package dev.trainstream.ingest.store;

import dev.trainstream.ingest.source.LoadedDataset;
import dev.trainstream.storage.Sha256;
import dev.trainstream.storage.StorageException;
import dev.trainstream.storage.dataset.DatasetLayout;
import dev.trainstream.storage.dataset.DatasetManifest;
import dev.trainstream.storage.dataset.DatasetStore;
import dev.trainstream.storage.dataset.PixelStatistics;
import dev.trainstream.storage.dataset.Shard;
import dev.trainstream.storage.dataset.ShardCodec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/**
 * Stores a loaded dataset: cuts each split into content-addressed shards and uploads each one in parallel as soon as
 * it is encoded (skipping shards already present), then writes the manifest last — so readers never see a partial
 * dataset, and re-ingesting the same content uploads nothing and yields the same dataset id.
 */
public final class DatasetWriter {
    private final DatasetStore store;
    private final int recordsPerShard;
    private final int parallelUploads;
    private final Clock clock;

    public DatasetWriter(DatasetStore store, int recordsPerShard, int parallelUploads, Clock clock) {
        if (recordsPerShard < 1) {
            throw new IllegalArgumentException("records per shard must be >= 1, was " + recordsPerShard);
        }
        if (parallelUploads < 1) {
            throw new IllegalArgumentException("parallel uploads must be >= 1, was " + parallelUploads);
        }
        this.store = store;
        this.recordsPerShard = recordsPerShard;
        this.parallelUploads = parallelUploads;
        this.clock = clock;
    }

    /** Result of storing: the manifest and how much was actually uploaded. */
    public record Stored(DatasetManifest manifest, String manifestKey, int shardsUploaded, int shardsReused,
                         long bytesUploaded, long bytesTotal) {
    }

    /** Stores {@code dataset}; {@code uploadedBytes} hears progress. Throws {@link StorageException} on S3 failure. */
    public Stored write(LoadedDataset dataset, LongConsumer uploadedBytes) {
        AtomicLong uploaded = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(parallelUploads, r -> {
            Thread t = new Thread(r, "shard-upload");
            t.setDaemon(true);
            return t;
        });
        List<Future<Boolean>> uploads = new ArrayList<>();
        List<EncodedShard> train;
        List<EncodedShard> test;
        int uploadedCount = 0;
        try {
            // Shard keys are content addresses, so each upload starts while the next shard is being encoded.
            train = encodeAndUpload(dataset.train(), pool, uploads, uploaded, uploadedBytes);
            test = encodeAndUpload(dataset.test(), pool, uploads, uploaded, uploadedBytes);
            for (Future<Boolean> result : uploads) {
                if (await(result)) {
                    uploadedCount++;
                }
            }
        } finally {
            pool.shutdownNow();
        }
        String digest = contentDigest(dataset, train, test);
        String datasetId = "ds-" + digest.substring(0, 16);
        long total = Stream.concat(train.stream(), test.stream()).mapToLong(s -> s.size).sum();
        DatasetManifest manifest = new DatasetManifest(DatasetManifest.FORMAT_VERSION, datasetId, digest,
            dataset.classes(), dataset.train().shape(), split(dataset.train(), train, dataset.classes().size()),
            split(dataset.test(), test, dataset.classes().size()), dataset.source(), clock.instant(),
            PixelStatistics.of(dataset.train()));
        if (!store.manifestExists(datasetId)) {
            store.putManifest(manifest);
        }
        return new Stored(store.readManifest(DatasetLayout.manifestKey(datasetId)), DatasetLayout.manifestKey(datasetId),
            uploadedCount, uploads.size() - uploadedCount, uploaded.get(), total);
    }

    private static boolean await(Future<Boolean> result) {
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while uploading shards", false, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StorageException se) {
                throw se;
            }
            throw new StorageException("shard upload failed: " + e.getCause(), false, e.getCause());
        }
    }

    /** One encoded shard: its record count, content address and size (the bytes belong to its upload task). */
    private record EncodedShard(int records, String digest, String key, long size) {
    }

    private List<EncodedShard> encodeAndUpload(Shard split, ExecutorService pool, List<Future<Boolean>> uploads,
                                               AtomicLong uploaded, LongConsumer uploadedBytes) {
        List<EncodedShard> out = new ArrayList<>();
        int size = split.shape().pixelsPerImage();
        for (int start = 0; start < split.count(); start += recordsPerShard) {
            int end = Math.min(split.count(), start + recordsPerShard);
            byte[] bytes = ShardCodec.encode(new Shard(split.shape(), Arrays.copyOfRange(split.labels(), start, end),
                Arrays.copyOfRange(split.pixels(), start * size, end * size)));
            String digest = Sha256.hex(bytes);
            String key = DatasetLayout.shardKey(digest);
            out.add(new EncodedShard(end - start, digest, key, bytes.length));
            uploads.add(pool.submit(() -> {
                boolean fresh = store.putShardIfAbsent(key, bytes);
                if (fresh) {
                    uploadedBytes.accept(uploaded.addAndGet(bytes.length));
                }
                return fresh;
            }));
        }
        return out;
    }

    private static DatasetManifest.Split split(Shard all, List<EncodedShard> shards, int classes) {
        List<DatasetManifest.ShardRef> refs = new ArrayList<>();
        long first = 0;
        for (EncodedShard s : shards) {
            refs.add(new DatasetManifest.ShardRef(s.digest, s.key, s.records, first, s.size));
            first += s.records;
        }
        long[] perClass = new long[classes];
        for (int label : all.labels()) {
            perClass[label]++;
        }
        return new DatasetManifest.Split(all.count(), Arrays.stream(perClass).boxed().toList(), refs);
    }

    /** Digest of class names, image shape and every shard digest in order: equal content, equal id. */
    private static String contentDigest(LoadedDataset dataset, List<EncodedShard> train, List<EncodedShard> test) {
        MessageDigest md = Sha256.digest();
        md.update(("trainstream-dataset-v1\n" + String.join("\n", dataset.classes()) + "\n" + dataset.train().shape())
            .getBytes(StandardCharsets.UTF_8));
        for (EncodedShard s : train) {
            md.update(("train:" + s.digest).getBytes(StandardCharsets.UTF_8));
        }
        for (EncodedShard s : test) {
            md.update(("test:" + s.digest).getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
