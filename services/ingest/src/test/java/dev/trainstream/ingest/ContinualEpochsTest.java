package dev.trainstream.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainstream.events.BatchReference;
import dev.trainstream.events.ShardSlice;
import dev.trainstream.events.codec.EventCodec;
import dev.trainstream.events.topics.Topics;
import dev.trainstream.infra.LocalInfrastructure;
import dev.trainstream.ingest.publish.BatchPlanner;
import dev.trainstream.ingest.source.DatasetException;
import dev.trainstream.storage.ObjectStore;
import dev.trainstream.storage.RetryPolicy;
import dev.trainstream.storage.S3Settings;
import dev.trainstream.storage.dataset.DatasetManifest;
import dev.trainstream.storage.dataset.DatasetStore;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Continual training against the real broker and S3: more epochs for a stored dataset continue its numbering with
 * fresh permutations, from the committed markers only (an epoch a crashed ingest left open is published again, once).
 */
@ExtendWith(SharedInfrastructure.class)
class ContinualEpochsTest {
    private static final int TRAIN = 90;
    private static final int BATCH = 20;
    private static final int STEPS = 5;

    @TempDir
    static Path dir;
    static LocalInfrastructure infra;
    static S3Settings s3;

    @BeforeAll
    static void start(LocalInfrastructure shared) {
        infra = shared;
        s3 = new S3Settings(infra.s3().endpoint(), infra.s3().accessKey(), infra.s3().secretKey(), "continual-test",
            "us-east-1");
    }

    private static String bootstrap() {
        return infra.kafka().bootstrapServers();
    }

    private static IngestConfig config(IngestConfig.DatasetLocation location, long seed, int epochs, int batchSize) {
        return new IngestConfig(location, dir.resolve("cache"), epochs, batchSize, seed, 40, 2, true, bootstrap(),
            (short) 1, s3);
    }

    private static IngestSummary ingestSynthetic(long seed, int epochs) throws DatasetException {
        return new IngestJob(config(new IngestConfig.DatasetLocation.Synthetic(TRAIN, 20), seed, epochs, BATCH),
            IngestProgress.logging()).run();
    }

    private static IngestSummary continueStored(String datasetId, long seed, int epochs) throws DatasetException {
        return new IngestJob(config(new IngestConfig.DatasetLocation.Stored(datasetId), seed, epochs, BATCH),
            IngestProgress.logging()).run();
    }

    @Test
    void givenStoredDatasetWithEpochs0To2_whenIngestingByIdWithTwoEpochs_thenEpochs3And4FollowFreshlyShuffledAndNothingIsUploaded()
        throws Exception {
        IngestSummary first = ingestSynthetic(101, 3);
        assertThat(first.firstEpoch()).isZero();

        IngestSummary more = continueStored(first.datasetId(), 101, 2);

        assertThat(more.datasetId()).isEqualTo(first.datasetId());
        assertThat(more.firstEpoch()).isEqualTo(3);
        assertThat(more.lastEpoch()).isEqualTo(4);
        assertThat(more.batchesPublished()).isEqualTo(2L * STEPS);
        assertThat(more.shardsUploaded()).isZero();
        assertThat(more.bytesUploaded()).isZero();
        List<BatchTopic.Placed> events = BatchTopic.read(bootstrap(), first.datasetId());
        assertThat(BatchTopic.markerEpochs(events)).containsExactly(0, 1, 2, 3, 4);
        DatasetManifest manifest = manifest(first.manifestKey());
        BatchPlanner planner = new BatchPlanner(manifest, first.manifestKey(), BATCH, 101);
        for (int epoch = 3; epoch <= 4; epoch++) {
            List<BatchReference> published = BatchTopic.batches(events, epoch);
            assertThat(published).as("epoch %d as planned from (seed, epoch)", epoch).isEqualTo(planner.plan(epoch));
            assertThat(records(published)).as("epoch %d covers every record once", epoch).hasSize(TRAIN);
        }
        assertThat(order(BatchTopic.batches(events, 3))).as("epoch 3 is a fresh permutation, not epoch 0 again")
            .isNotEqualTo(order(BatchTopic.batches(events, 0)));
    }

    @Test
    void givenSameContentIngestedAgain_whenNoDatasetIdIsGiven_thenItContinuesTheNumberingInsteadOfRepeatingEpoch0()
        throws Exception {
        IngestSummary first = ingestSynthetic(202, 2);

        IngestSummary again = ingestSynthetic(202, 1);

        assertThat(again.datasetId()).isEqualTo(first.datasetId());
        assertThat(again.firstEpoch()).isEqualTo(2);
        assertThat(again.bytesUploaded()).isZero();
        List<BatchTopic.Placed> events = BatchTopic.read(bootstrap(), first.datasetId());
        assertThat(BatchTopic.markerEpochs(events)).containsExactly(0, 1, 2);
        assertThat(BatchTopic.batches(events, 0)).hasSize(STEPS);
    }

    @Test
    void givenUnknownDatasetId_whenIngestingById_thenTheErrorNamesTheIdAndNothingIsPublished() throws Exception {
        String unknown = "ds-00000000deadbeef";

        assertThatThrownBy(() -> continueStored(unknown, 1, 2))
            .isInstanceOf(DatasetException.class)
            .hasMessageContaining(unknown)
            .hasMessageContaining("datasets/" + unknown + "/manifest.json")
            .hasMessageContaining("nothing was published");
        assertThat(BatchTopic.read(bootstrap(), unknown)).isEmpty();
    }

    @Test
    void givenIngestCrashedInsideEpoch2_whenIngestingByIdAgain_thenEpoch2IsPublishedOnceAndTheCrashedProducerIsFenced()
        throws Exception {
        IngestSummary first = ingestSynthetic(303, 2);
        DatasetManifest manifest = manifest(first.manifestKey());
        List<BatchReference> epoch2 = new BatchPlanner(manifest, first.manifestKey(), BATCH, 303).plan(2);
        EventCodec codec = EventCodec.create("/test/crashed-ingest");
        try (KafkaProducer<String, byte[]> crashed = new KafkaProducer<>(crashedIngestProperties(first.datasetId()))) {
            crashed.initTransactions();
            crashed.beginTransaction();
            for (BatchReference batch : epoch2.subList(0, 3)) {
                crashed.send(codec.encode(Topics.BATCHES, batch));
            }
            crashed.flush();
            // The crashed ingest never commits nor aborts: its epoch 2 stays an open transaction.

            IngestSummary resumed = continueStored(first.datasetId(), 303, 1);

            assertThat(resumed.firstEpoch()).isEqualTo(2);
            assertThatThrownBy(crashed::commitTransaction).isInstanceOf(KafkaException.class);
        }
        List<BatchTopic.Placed> events = BatchTopic.read(bootstrap(), first.datasetId());
        assertThat(BatchTopic.markerEpochs(events)).containsExactly(0, 1, 2);
        assertThat(BatchTopic.batches(events, 2)).isEqualTo(epoch2);
    }

    @Test
    void givenEpochsPublishedWithBatchSize20_whenContinuingWithBatchSize30_thenTheErrorNamesBothAndNothingIsPublished()
        throws Exception {
        IngestSummary first = ingestSynthetic(404, 1);
        IngestConfig otherSize = config(new IngestConfig.DatasetLocation.Stored(first.datasetId()), 404, 1, 30);

        assertThatThrownBy(() -> new IngestJob(otherSize, IngestProgress.logging()).run())
            .isInstanceOf(DatasetException.class)
            .hasMessageContaining(first.datasetId()).hasMessageContaining("batch size 20")
            .hasMessageContaining("batch size 30");
        assertThat(BatchTopic.markerEpochs(BatchTopic.read(bootstrap(), first.datasetId()))).containsExactly(0);
    }

    private static Properties crashedIngestProperties(String datasetId) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        // The transactional id every ingest of this dataset uses (IngestJob).
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "trainstream-ingest-" + datasetId);
        return props;
    }

    private static DatasetManifest manifest(String key) {
        try (ObjectStore store = ObjectStore.connect(s3, RetryPolicy.none())) {
            return new DatasetStore(store).readManifest(key);
        }
    }

    private static Set<String> records(List<BatchReference> batches) {
        Set<String> seen = new HashSet<>();
        for (String record : order(batches)) {
            assertThat(seen.add(record)).as("record %s appears once", record).isTrue();
        }
        return seen;
    }

    private static List<String> order(List<BatchReference> batches) {
        return batches.stream().flatMap(b -> b.entries().stream())
            .flatMap((ShardSlice s) -> s.indices().stream().map(i -> s.shardDigest() + "#" + i)).toList();
    }
}
