package dev.trainstream.ingest;

import dev.trainstream.events.BatchReference;
import dev.trainstream.events.topics.Topics;
import dev.trainstream.ingest.publish.BatchPlanner;
import dev.trainstream.ingest.publish.EpochGate;
import dev.trainstream.ingest.publish.EpochMarker;
import dev.trainstream.ingest.publish.EpochPublisher;
import dev.trainstream.ingest.publish.PublishedEpochs;
import dev.trainstream.ingest.publish.TrainerPositions;
import dev.trainstream.ingest.source.DatasetException;
import dev.trainstream.ingest.source.DatasetSource;
import dev.trainstream.ingest.source.LoadedDataset;
import dev.trainstream.ingest.source.RecordSink;
import dev.trainstream.ingest.source.StreamingSource;
import dev.trainstream.ingest.store.DatasetWriter;
import dev.trainstream.ingest.store.ShardPipeline;
import dev.trainstream.ingest.timeline.PhaseRecorder;
import dev.trainstream.ops.lifecycle.Service;
import dev.trainstream.storage.ObjectStore;
import dev.trainstream.storage.RetryPolicy;
import dev.trainstream.storage.dataset.DatasetLayout;
import dev.trainstream.storage.dataset.DatasetManifest;
import dev.trainstream.storage.dataset.DatasetStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ingest run, start to finish: read and validate the dataset (or find a stored one by id) while Kafka is checked
 * beside it, store content-addressed shards as they are cut and then the manifest in S3, find the epochs already on
 * the topic, and publish the next epochs, each in its own transaction and, with backpressure, only as fast as the
 * slowest trainer allows. Bad input stops it before any manifest or batch reference is written, so no dataset becomes
 * visible; shards uploaded before a late-found error (a missing file at the end of an archive) stay unreferenced, as
 * the warning says.
 */
public final class IngestJob implements Service<IngestSummary> {
    private static final Logger LOG = LoggerFactory.getLogger(IngestJob.class);
    private static final Duration KAFKA_CHECK_TIMEOUT = Duration.ofSeconds(15);
    /** Longer than the default transaction.timeout.ms (60 s): by then the broker has aborted any stuck epoch. */
    private static final Duration EPOCH_SCAN_TIMEOUT = Duration.ofSeconds(90);

    private final IngestConfig config;
    private final IngestProgress progress;
    private final RetryPolicy s3Retry;
    private final CountDownLatch stop = new CountDownLatch(1);
    private volatile boolean ready;

    public IngestJob(IngestConfig config, IngestProgress progress) {
        this(config, progress, RetryPolicy.standard());
    }

    /** As {@link #IngestJob(IngestConfig, IngestProgress)} with an explicit S3 retry policy (tests use a short one). */
    public IngestJob(IngestConfig config, IngestProgress progress, RetryPolicy s3Retry) {
        if (config == null || progress == null || s3Retry == null) {
            throw new IllegalArgumentException("config, progress and S3 retry policy must be set");
        }
        this.config = config;
        this.progress = progress;
        this.s3Retry = s3Retry;
    }

    @Override
    public String name() {
        return "ingest";
    }

    /** True while the job runs past its checks (Kafka answered); a finished job is no longer ready. */
    @Override
    public boolean ready() {
        return ready;
    }

    /**
     * Asks the job to stop after the epoch being published (its transaction commits; no epoch is ever half-published)
     * or while it waits for the trainers; a dataset being stored is stored to its manifest first.
     */
    @Override
    public void requestStop() {
        stop.countDown();
    }

    private boolean stopRequested() {
        return stop.getCount() == 0;
    }

    /**
     * Runs the job. Throws {@link DatasetException} for bad input (also an unknown stored dataset id),
     * {@link dev.trainstream.storage.StorageException} for S3 failures and {@link IngestFailure} for Kafka failures;
     * nothing partial is visible after any of them.
     */
    @Override
    public IngestSummary run() throws DatasetException {
        try {
            return ingest();
        } finally {
            ready = false;
        }
    }

    private IngestSummary ingest() throws DatasetException {
        long started = System.nanoTime();
        PhaseRecorder phases = new PhaseRecorder();
        try (KafkaStart kafka = KafkaStart.begin(config, phases, KAFKA_CHECK_TIMEOUT, EPOCH_SCAN_TIMEOUT)) {
            kafka.checked().thenRun(() -> ready = true);
            DatasetWriter.Stored stored = config.dataset() instanceof IngestConfig.DatasetLocation.Stored id
                ? findStored(id.datasetId(), kafka)
                : readAndStore(kafka, phases);
            IngestSummary summary = publish(stored, kafka, phases, started);
            progress.phases(phases.spans());
            LOG.info("ingest done: {}", summary.render());
            return summary;
        }
    }

    private IngestSummary publish(DatasetWriter.Stored stored, KafkaStart kafka, PhaseRecorder phases, long started)
        throws DatasetException {
        DatasetManifest manifest = stored.manifest();
        BatchPlanner planner = new BatchPlanner(manifest, stored.manifestKey(), config.batchSize(), config.seed());
        long batches = 0;
        int published = 0;
        int firstEpoch;
        KafkaStart.Opened opened = KafkaStart.join(kafka.open(manifest.datasetId()));
        EpochGate gate = gate(kafka);
        try {
            PublishedEpochs onTopic = opened.onTopic();
            requireSameBatchSize(onTopic, config.batchSize());
            firstEpoch = onTopic.nextEpoch();
            progress.phase(firstEpoch == 0
                ? "publishing epochs 0.." + (config.epochs() - 1) + " of " + manifest.datasetId()
                : manifest.datasetId() + " has epochs 0.." + (firstEpoch - 1) + " on " + Topics.BATCHES.name()
                    + "; publishing epochs " + firstEpoch + ".." + (firstEpoch + config.epochs() - 1));
            EpochPublisher epochs = new EpochPublisher(opened.publisher());
            for (int i = 0; i < config.epochs() && !stopRequested(); i++) {
                int epoch = firstEpoch + i;
                if (!gate.awaitTurn(epoch, onTopic, stop)) {
                    break;
                }
                EpochMarker marker;
                List<BatchReference> plan;
                try (PhaseRecorder.Piece piece = phases.start("publish")) {
                    plan = planner.plan(epoch);
                    marker = epochs.publish(epoch, plan);
                }
                onTopic = onTopic.with(marker, config.batchSize());
                batches += plan.size();
                published++;
                progress.epochPublished(epoch, i + 1, config.epochs(), plan.size());
            }
        } catch (KafkaException e) {
            throw new IngestFailure("publishing batch references of " + manifest.datasetId() + " to Kafka at "
                + config.kafkaBootstrap() + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IngestFailure("interrupted while waiting for the trainers; epochs of " + manifest.datasetId()
                + " published so far are complete, no epoch is half-published", e);
        }
        boolean stoppedEarly = published < config.epochs();
        if (stoppedEarly) {
            LOG.warn("ingest stopped on request after {} of {} epochs of {} (each published epoch is complete; run "
                + "ingest --dataset-id {} to publish more)", published, config.epochs(), manifest.datasetId(),
                manifest.datasetId());
        }
        return new IngestSummary(manifest.datasetId(), stored.manifestKey(),
            manifest.train().records(), manifest.test().records(), manifest.classes().size(),
            stored.shardsUploaded(), stored.shardsReused(), stored.bytesUploaded(), stored.bytesTotal(), firstEpoch,
            published, batches, Duration.ofNanos(System.nanoTime() - started), stoppedEarly);
    }

    /** Nothing outlives {@link #run()}: every client it opens is closed inside it. */
    @Override
    public void close() {
        ready = false;
    }

    /**
     * Reads the source while the Kafka checks run beside it; a streaming source's records are cut, hashed and
     * uploaded as they are read (uploads wait for the checks and the bucket), and the transactional init and epoch
     * scan start as soon as the last shard is hashed, while the last uploads and the manifest are still under way.
     */
    private DatasetWriter.Stored readAndStore(KafkaStart kafka, PhaseRecorder phases) throws DatasetException {
        DatasetSource source = SourceResolver.resolve(config);
        progress.phase("reading " + source.describe());
        DatasetWriter.Stored stored;
        try (ObjectStore objects = ObjectStore.connect(config.s3(), s3Retry)) {
            CompletableFuture<Void> uploadsAllowed = kafka.checked().thenRun(objects::ensureBucket);
            DatasetWriter writer = new DatasetWriter(new DatasetStore(objects), config.recordsPerShard(),
                config.parallelUploads(), Clock.systemUTC());
            AtomicLong expected = new AtomicLong(source instanceof StreamingSource s ? s.estimatedBytes() : 0);
            try (ShardPipeline pipeline = writer.start(uploadsAllowed, bytes -> progress.uploaded(bytes,
                    Math.max(expected.get(), bytes)), phases)) {
                StreamingSource.Streamed streamed;
                try (PhaseRecorder.Piece piece = phases.start("read")) {
                    streamed = readInto(source, pipeline, expected);
                } catch (DatasetException e) {
                    pipeline.close();
                    if (pipeline.freshUploads() > 0) {
                        LOG.warn("{} shard(s) uploaded while {} was read stay in {} unreferenced: no manifest names "
                            + "them, so no dataset is visible (shards are content-addressed; an ingest of the "
                            + "corrected source reuses those that are equal)", pipeline.freshUploads(),
                            source.describe(), objects.uri(DatasetLayout.shardsPrefix()));
                    }
                    throw e;
                }
                ShardPipeline.Cut cut = pipeline.finish();
                progress.phase("read " + cut.trainRecords() + " train + " + cut.testRecords() + " test records, "
                    + streamed.classes().size() + " classes");
                DatasetWriter.Identified identified = writer.identify(cut, streamed.classes(), streamed.source());
                kafka.open(identified.datasetId());
                KafkaStart.join(uploadsAllowed);
                try (PhaseRecorder.Piece piece = phases.start("last uploads + manifest")) {
                    stored = writer.store(identified, pipeline);
                }
            }
        }
        progress.phase("stored dataset " + stored.manifest().datasetId() + " (" + stored.shardsUploaded()
            + " shards uploaded, " + stored.shardsReused() + " already present)");
        return stored;
    }

    /** Streams a streaming source into the pipeline; any other is loaded whole first, then handed over. */
    private static StreamingSource.Streamed readInto(DatasetSource source, ShardPipeline pipeline,
                                                     AtomicLong expectedBytes) throws DatasetException {
        if (source instanceof StreamingSource streaming) {
            return streaming.stream(pipeline);
        }
        LoadedDataset dataset = source.load();
        expectedBytes.set((long) (dataset.train().count() + dataset.test().count())
            * (dataset.train().shape().pixelsPerImage() + 2));
        pipeline.accept(RecordSink.Split.TRAIN, dataset.train());
        pipeline.accept(RecordSink.Split.TEST, dataset.test());
        return new StreamingSource.Streamed(dataset.classes(), dataset.source());
    }

    /** A dataset stored by an earlier ingest: its manifest is all that is needed to plan more epochs. */
    private DatasetWriter.Stored findStored(String datasetId, KafkaStart kafka) throws DatasetException {
        KafkaStart.join(kafka.checked());
        String key = DatasetLayout.manifestKey(datasetId);
        DatasetManifest manifest;
        try (ObjectStore objects = ObjectStore.connect(config.s3(), s3Retry)) {
            if (!objects.exists(key)) {
                throw new DatasetException("dataset " + datasetId + " is not stored: no manifest at " + objects.uri(key)
                    + " (ingest its source once first); nothing was published");
            }
            manifest = new DatasetStore(objects).readManifest(key);
        }
        if (!manifest.datasetId().equals(datasetId)) {
            throw new DatasetException("manifest " + key + " names dataset " + manifest.datasetId() + ", not "
                + datasetId + "; nothing was published");
        }
        progress.phase("found stored dataset " + datasetId + " (" + manifest.train().records() + " train + "
            + manifest.test().records() + " test records, " + manifest.classes().size() + " classes)");
        int shards = manifest.train().shards().size() + manifest.test().shards().size();
        long bytes = Stream.concat(manifest.train().shards().stream(), manifest.test().shards().stream())
            .mapToLong(DatasetManifest.ShardRef::sizeBytes).sum();
        return new DatasetWriter.Stored(manifest, key, 0, shards, 0, bytes);
    }

    /** Mixing batch sizes in one dataset's stream would change the steps per epoch under a running schedule. */
    private static void requireSameBatchSize(PublishedEpochs published, int batchSize) throws DatasetException {
        if (published.batchSize().isPresent() && published.batchSize().getAsInt() != batchSize) {
            throw new DatasetException("dataset " + published.datasetId() + " has epochs 0.."
                + (published.nextEpoch() - 1) + " on " + Topics.BATCHES.name() + " with batch size "
                + published.batchSize().getAsInt() + "; continuing it with batch size " + batchSize
                + " would mix sizes in one stream (pass --batch-size " + published.batchSize().getAsInt()
                + "); nothing was published");
        }
    }

    private EpochGate gate(KafkaStart kafka) {
        IngestConfig.Backpressure policy = config.backpressure();
        if (!policy.bounded()) {
            return EpochGate.unbounded();
        }
        return EpochGate.bounded(policy.maxEpochsAhead(), TrainerPositions.over(kafka.admin(),
            policy.trainerGroupPrefix()), policy.pollInterval(), policy.staleAfter(),
            Clock.systemUTC(), progress::phase);
    }
}
