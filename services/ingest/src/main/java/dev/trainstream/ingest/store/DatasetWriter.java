package dev.trainstream.ingest.store;

import dev.trainstream.ingest.source.LoadedDataset;
import dev.trainstream.ingest.source.RecordSink;
import dev.trainstream.ingest.timeline.PhaseRecorder;
import dev.trainstream.storage.Sha256;
import dev.trainstream.storage.StorageException;
import dev.trainstream.storage.dataset.DatasetLayout;
import dev.trainstream.storage.dataset.DatasetManifest;
import dev.trainstream.storage.dataset.DatasetStore;
import dev.trainstream.storage.dataset.ImageShape;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/**
 * Stores a dataset: cuts each split into content-addressed shards and uploads each one in parallel as soon as it is
 * encoded (skipping shards already present; see {@link ShardPipeline}), then writes the manifest last — so readers never see a partial
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
        try (ShardPipeline pipeline = start(CompletableFuture.completedFuture(null), uploadedBytes,
                new PhaseRecorder())) {
            pipeline.accept(RecordSink.Split.TRAIN, dataset.train());
            pipeline.accept(RecordSink.Split.TEST, dataset.test());
            return store(identify(pipeline.finish(), dataset.classes(), dataset.source()), pipeline);
        }
    }

    /**
     * A pipeline to hand records to while the source is read; its uploads wait for {@code uploadsAllowed}. Close it
     * (try-with-resources) once {@link #store} returned or anything failed.
     */
    public ShardPipeline start(CompletableFuture<?> uploadsAllowed, LongConsumer uploadedBytes, PhaseRecorder phases) {
        return new ShardPipeline(store, recordsPerShard, parallelUploads, uploadsAllowed, uploadedBytes, phases);
    }

    /**
     * A cut dataset whose id is known (its shards' digests fix it) but whose manifest is not written yet: what ingest
     * needs to start its Kafka transaction while the last shards are still uploading.
     */
    public record Identified(DatasetManifest manifest, long bytesTotal) {
        public String datasetId() {
            return manifest.datasetId();
        }
    }

    /** The manifest of everything cut, with the class names and provenance that are known once the source is read. */
    public Identified identify(ShardPipeline.Cut cut, List<String> classes, DatasetManifest.Source source) {
        String digest = contentDigest(classes, cut.shape(), cut.train(), cut.test());
        String datasetId = "ds-" + digest.substring(0, 16);
        long total = Stream.concat(cut.train().stream(), cut.test().stream()).mapToLong(ShardPipeline.EncodedShard::size)
            .sum();
        DatasetManifest manifest = new DatasetManifest(DatasetManifest.FORMAT_VERSION, datasetId, digest, classes,
            cut.shape(), split(cut.train(), cut.trainPerLabel(), classes.size()),
            split(cut.test(), cut.testPerLabel(), classes.size()), source, clock.instant(), cut.statistics());
        return new Identified(manifest, total);
    }

    /** Waits for every shard upload of {@code pipeline}, then writes the manifest (last: readers never see less). */
    public Stored store(Identified identified, ShardPipeline pipeline) {
        ShardPipeline.Uploaded uploaded = pipeline.awaitUploads();
        String datasetId = identified.datasetId();
        if (!store.manifestExists(datasetId)) {
            store.putManifest(identified.manifest());
        }
        return new Stored(store.readManifest(DatasetLayout.manifestKey(datasetId)), DatasetLayout.manifestKey(datasetId),
            uploaded.fresh(), uploaded.present(), uploaded.bytes(), identified.bytesTotal());
    }

    private static DatasetManifest.Split split(List<ShardPipeline.EncodedShard> shards, long[] perLabel, int classes) {
        List<DatasetManifest.ShardRef> refs = new ArrayList<>();
        long first = 0;
        for (ShardPipeline.EncodedShard s : shards) {
            refs.add(new DatasetManifest.ShardRef(s.digest(), s.key(), s.records(), first, s.size()));
            first += s.records();
        }
        for (int label = classes; label < perLabel.length; label++) {
            if (perLabel[label] > 0) {
                throw new IllegalArgumentException(perLabel[label] + " records have label " + label + " outside the "
                    + classes + " classes");
            }
        }
        List<Long> perClass = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            perClass.add(c < perLabel.length ? perLabel[c] : 0L);
        }
        return new DatasetManifest.Split(first, perClass, refs);
    }

    /** Digest of class names, image shape and every shard digest in order: equal content, equal id. */
    private static String contentDigest(List<String> classes, ImageShape shape, List<ShardPipeline.EncodedShard> train,
                                        List<ShardPipeline.EncodedShard> test) {
        MessageDigest md = Sha256.digest();
        md.update(("trainstream-dataset-v1\n" + String.join("\n", classes) + "\n" + shape)
            .getBytes(StandardCharsets.UTF_8));
        for (ShardPipeline.EncodedShard s : train) {
            md.update(("train:" + s.digest()).getBytes(StandardCharsets.UTF_8));
        }
        for (ShardPipeline.EncodedShard s : test) {
            md.update(("test:" + s.digest()).getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
