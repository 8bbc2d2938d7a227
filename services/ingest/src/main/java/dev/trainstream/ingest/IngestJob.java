package dev.trainstream.ingest;

import dev.trainstream.events.BatchReference;
import dev.trainstream.events.codec.EventCodec;
import dev.trainstream.events.produce.EventPublisher;
import dev.trainstream.events.topics.TopicAdmin;
import dev.trainstream.events.topics.Topics;
import dev.trainstream.ingest.publish.BatchPlanner;
import dev.trainstream.ingest.publish.EpochPublisher;
import dev.trainstream.ingest.source.DatasetException;
import dev.trainstream.ingest.source.DatasetSource;
import dev.trainstream.ingest.source.LoadedDataset;
import dev.trainstream.ingest.store.DatasetWriter;
import dev.trainstream.ops.KafkaProbe;
import dev.trainstream.storage.ObjectStore;
import dev.trainstream.storage.RetryPolicy;
import dev.trainstream.storage.dataset.DatasetStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ingest run, start to finish: read and validate the dataset, check Kafka, store shards and then the manifest in
 * S3, and publish each epoch's batch references in its own transaction. Bad input stops it before anything is stored.
 */
public final class IngestJob {
    private static final Logger LOG = LoggerFactory.getLogger(IngestJob.class);
    private static final Duration KAFKA_CHECK_TIMEOUT = Duration.ofSeconds(15);

    private IngestJob() {
    }

    /**
     * Runs the job. Throws {@link DatasetException} for bad input, {@link dev.trainstream.storage.StorageException}
     * for S3 failures and {@link IngestFailure} for Kafka failures; nothing partial is visible after any of them.
     */
    public static IngestSummary run(IngestConfig config, IngestProgress progress) throws DatasetException {
        return run(config, progress, RetryPolicy.standard());
    }

    /** As {@link #run(IngestConfig, IngestProgress)} with an explicit S3 retry policy (tests use a short one). */
    public static IngestSummary run(IngestConfig config, IngestProgress progress, RetryPolicy s3Retry)
        throws DatasetException {
        long started = System.nanoTime();
        DatasetSource source = SourceResolver.resolve(config);
        progress.phase("reading " + source.describe());
        LoadedDataset dataset = source.load();
        progress.phase("read " + dataset.train().count() + " train + " + dataset.test().count() + " test records, "
            + dataset.classes().size() + " classes");

        requireKafka(config.kafkaBootstrap());
        TopicAdmin.ensureTopics(config.kafkaBootstrap(), List.copyOf(Topics.all()), config.topicReplication());

        DatasetWriter.Stored stored;
        try (ObjectStore objects = ObjectStore.connect(config.s3(), s3Retry)) {
            objects.ensureBucket();
            DatasetWriter writer = new DatasetWriter(new DatasetStore(objects), config.recordsPerShard(),
                config.parallelUploads(), Clock.systemUTC());
            long totalBytes = (long) (dataset.train().count() + dataset.test().count())
                * (dataset.train().shape().pixelsPerImage() + 2);
            stored = writer.write(dataset, bytes -> progress.uploaded(bytes, totalBytes));
        }
        progress.phase("stored dataset " + stored.manifest().datasetId() + " (" + stored.shardsUploaded() + " shards uploaded, "
            + stored.shardsReused() + " already present)");

        BatchPlanner planner = new BatchPlanner(stored.manifest(), stored.manifestKey(), config.batchSize(), config.seed());
        long batches = 0;
        EventCodec codec = EventCodec.create("/trainstream/ingest");
        Properties producerProps = new Properties();
        // Fail within a bounded time instead of blocking a minute on metadata when the broker vanishes.
        producerProps.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        try (EventPublisher publisher = EventPublisher.createTransactional(config.kafkaBootstrap(), codec,
            "trainstream-ingest", "trainstream-ingest-" + stored.manifest().datasetId(), producerProps)) {
            EpochPublisher epochs = new EpochPublisher(publisher);
            for (int epoch = 0; epoch < config.epochs(); epoch++) {
                List<BatchReference> plan = planner.plan(epoch);
                epochs.publish(epoch, plan);
                batches += plan.size();
                progress.epochPublished(epoch, config.epochs(), plan.size());
            }
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new IngestFailure("publishing batch references of " + stored.manifest().datasetId() + " to Kafka at "
                + config.kafkaBootstrap() + " failed: " + e.getMessage(), e);
        }
        IngestSummary summary = new IngestSummary(stored.manifest().datasetId(), stored.manifestKey(),
            stored.manifest().train().records(), stored.manifest().test().records(), stored.manifest().classes().size(),
            stored.shardsUploaded(), stored.shardsReused(), stored.bytesUploaded(), stored.bytesTotal(), config.epochs(),
            batches, Duration.ofNanos(System.nanoTime() - started));
        LOG.info("ingest done: {}", summary.render());
        return summary;
    }

    private static void requireKafka(String bootstrap) {
        try (KafkaProbe probe = KafkaProbe.create(bootstrap, KAFKA_CHECK_TIMEOUT)) {
            probe.verify();
        } catch (Exception e) {
            throw new IngestFailure("Kafka at " + bootstrap + " is unreachable (" + e.getMessage()
                + "); nothing was stored or published", e);
        }
    }
}
