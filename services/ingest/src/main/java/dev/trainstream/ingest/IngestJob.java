package dev.trainstream.ingest;

import dev.trainstream.events.BatchReference;
import dev.trainstream.events.clients.KafkaClients;
import dev.trainstream.events.codec.EventCodec;
import dev.trainstream.events.produce.EventPublisher;
import dev.trainstream.events.topics.TopicAdmin;
import dev.trainstream.events.topics.Topics;
import dev.trainstream.ingest.publish.BatchPlanner;
import dev.trainstream.ingest.publish.EpochGate;
import dev.trainstream.ingest.publish.EpochMarker;
import dev.trainstream.ingest.publish.EpochPublisher;
import dev.trainstream.ingest.publish.PublishedEpochs;
import dev.trainstream.ingest.publish.PublishedEpochsReader;
import dev.trainstream.ingest.publish.TrainerPositions;
import dev.trainstream.ingest.source.DatasetException;
import dev.trainstream.ingest.source.DatasetSource;
import dev.trainstream.ingest.source.LoadedDataset;
import dev.trainstream.ingest.store.DatasetWriter;
import dev.trainstream.ops.KafkaProbe;
import dev.trainstream.ops.lifecycle.Service;
import dev.trainstream.storage.ObjectStore;
import dev.trainstream.storage.RetryPolicy;
import dev.trainstream.storage.dataset.DatasetLayout;
import dev.trainstream.storage.dataset.DatasetManifest;
import dev.trainstream.storage.dataset.DatasetStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ingest run, start to finish: read and validate the dataset (or find a stored one by id), check Kafka, store
 * shards and then the manifest in S3, find the epochs already on the topic, and publish the next epochs, each in its
 * own transaction and, with backpressure, only as fast as the slowest trainer allows. Bad input stops it before
 * anything is stored.
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
        DatasetWriter.Stored stored = config.dataset() instanceof IngestConfig.DatasetLocation.Stored id
            ? findStored(id.datasetId())
            : readAndStore();
        DatasetManifest manifest = stored.manifest();

        BatchPlanner planner = new BatchPlanner(manifest, stored.manifestKey(), config.batchSize(), config.seed());
        long batches = 0;
        int published = 0;
        int firstEpoch;
        try (EventPublisher publisher = transactionalPublisher(manifest.datasetId());
             EpochGate gate = gate()) {
            // After initTransactions (above), an epoch a crashed ingest of this dataset left open is aborted, so the
            // read below sees exactly the committed epochs and the numbering continues after them.
            PublishedEpochs onTopic = PublishedEpochsReader.read(config.kafkaBootstrap(), manifest.datasetId(),
                EPOCH_SCAN_TIMEOUT);
            requireSameBatchSize(onTopic, config.batchSize());
            firstEpoch = onTopic.nextEpoch();
            progress.phase(firstEpoch == 0
                ? "publishing epochs 0.." + (config.epochs() - 1) + " of " + manifest.datasetId()
                : manifest.datasetId() + " has epochs 0.." + (firstEpoch - 1) + " on " + Topics.BATCHES.name()
                    + "; publishing epochs " + firstEpoch + ".." + (firstEpoch + config.epochs() - 1));
            EpochPublisher epochs = new EpochPublisher(publisher);
            for (int i = 0; i < config.epochs() && !stopRequested(); i++) {
                int epoch = firstEpoch + i;
                if (!gate.awaitTurn(epoch, onTopic, stop)) {
                    break;
                }
                List<BatchReference> plan = planner.plan(epoch);
                EpochMarker marker = epochs.publish(epoch, plan);
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
        IngestSummary summary = new IngestSummary(manifest.datasetId(), stored.manifestKey(),
            manifest.train().records(), manifest.test().records(), manifest.classes().size(),
            stored.shardsUploaded(), stored.shardsReused(), stored.bytesUploaded(), stored.bytesTotal(), firstEpoch,
            published, batches, Duration.ofNanos(System.nanoTime() - started), stoppedEarly);
        LOG.info("ingest done: {}", summary.render());
        return summary;
    }

    /** Nothing outlives {@link #run()}: every client it opens is closed inside it. */
    @Override
    public void close() {
        ready = false;
    }

    private DatasetWriter.Stored readAndStore() throws DatasetException {
        DatasetSource source = SourceResolver.resolve(config);
        progress.phase("reading " + source.describe());
        LoadedDataset dataset = source.load();
        progress.phase("read " + dataset.train().count() + " train + " + dataset.test().count() + " test records, "
            + dataset.classes().size() + " classes");

        requireKafka();
        DatasetWriter.Stored stored;
        try (ObjectStore objects = ObjectStore.connect(config.s3(), s3Retry)) {
            objects.ensureBucket();
            DatasetWriter writer = new DatasetWriter(new DatasetStore(objects), config.recordsPerShard(),
                config.parallelUploads(), Clock.systemUTC());
            long totalBytes = (long) (dataset.train().count() + dataset.test().count())
                * (dataset.train().shape().pixelsPerImage() + 2);
            stored = writer.write(dataset, bytes -> progress.uploaded(bytes, totalBytes));
        }
        progress.phase("stored dataset " + stored.manifest().datasetId() + " (" + stored.shardsUploaded()
            + " shards uploaded, " + stored.shardsReused() + " already present)");
        return stored;
    }

    /** A dataset stored by an earlier ingest: its manifest is all that is needed to plan more epochs. */
    private DatasetWriter.Stored findStored(String datasetId) throws DatasetException {
        requireKafka();
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

    private EventPublisher transactionalPublisher(String datasetId) {
        Properties producerProps = new Properties();
        // Fail within a bounded time instead of blocking a minute on metadata when the broker vanishes.
        producerProps.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        // One transactional id per dataset: a second ingest of the same dataset fences the first, so two never
        // publish the same epoch number, and a crashed one's open epoch is aborted when the next one starts.
        return EventPublisher.createTransactional(config.kafkaBootstrap(), EventCodec.create("/trainstream/ingest"),
            "trainstream-ingest", "trainstream-ingest-" + datasetId, producerProps);
    }

    private EpochGate gate() {
        IngestConfig.Backpressure policy = config.backpressure();
        if (!policy.bounded()) {
            return EpochGate.unbounded();
        }
        return EpochGate.bounded(policy.maxEpochsAhead(), TrainerPositions.connect(config.kafkaBootstrap(),
            policy.trainerGroupPrefix(), KAFKA_CHECK_TIMEOUT), policy.pollInterval(), policy.staleAfter(),
            Clock.systemUTC(), progress::phase);
    }

    private void requireKafka() {
        try (KafkaProbe probe = KafkaProbe.over(KafkaClients.admin(config.kafkaBootstrap(),
            "trainstream-ingest-check", KAFKA_CHECK_TIMEOUT), KAFKA_CHECK_TIMEOUT)) {
            probe.verify();
        } catch (Exception e) {
            throw new IngestFailure("Kafka at " + config.kafkaBootstrap() + " is unreachable (" + e.getMessage()
                + "); nothing was stored or published", e);
        }
        TopicAdmin.ensureTopics(config.kafkaBootstrap(), List.copyOf(Topics.all()), config.topicReplication());
        ready = true;
    }
}
