package dev.trainstream.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.trainstream.events.BatchReference;
import dev.trainstream.events.BatchStreamEvent;
import dev.trainstream.events.EpochCompleted;
import dev.trainstream.events.ShardSlice;
import dev.trainstream.events.codec.InvalidEventException;
import dev.trainstream.infra.LocalInfrastructure;
import dev.trainstream.ingest.source.DatasetException;
import dev.trainstream.ingest.source.DatasetFixtures;
import dev.trainstream.storage.ObjectStore;
import dev.trainstream.storage.RetryPolicy;
import dev.trainstream.storage.S3Settings;
import dev.trainstream.storage.Sha256;
import dev.trainstream.storage.StorageException;
import dev.trainstream.storage.dataset.DatasetManifest;
import dev.trainstream.storage.dataset.DatasetStore;
import dev.trainstream.storage.dataset.Shard;
import dev.trainstream.storage.dataset.ShardCodec;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Ingest against the real broker and S3: complete datasets, exact epochs, idempotent re-ingest, nothing on failure. */
@ExtendWith(SharedInfrastructure.class)
class IngestJobTest {
    @TempDir
    static Path dir;
    static LocalInfrastructure infra;
    static S3Settings s3;

    @BeforeAll
    static void start(LocalInfrastructure shared) {
        infra = shared;
        s3 = new S3Settings(infra.s3().endpoint(), infra.s3().accessKey(), infra.s3().secretKey(), "ingest-test",
            "us-east-1");
    }

    private static IngestConfig config(IngestConfig.DatasetLocation location, String bootstrap, int epochs) {
        return new IngestConfig(location, dir.resolve("cache"), epochs, 24, 7, 100, 3, true, bootstrap, (short) 1, s3);
    }

    @Test
    void givenSyntheticData_whenIngestedTwice_thenOneCompleteDatasetEveryEpochCoversEveryRecordOnceAndEpochsContinue() throws Exception {
        IngestSummary first = new IngestJob(config(new IngestConfig.DatasetLocation.Synthetic(250, 60),
            infra.kafka().bootstrapServers(), 2), IngestProgress.logging()).run();

        assertThat(first.trainRecords()).isEqualTo(250);
        assertThat(first.shardsUploaded()).isEqualTo(3 + 1);
        try (ObjectStore store = ObjectStore.connect(s3, RetryPolicy.none())) {
            DatasetManifest manifest = new DatasetStore(store).readManifest(first.manifestKey());
            assertThat(manifest.datasetId()).isEqualTo(first.datasetId());
            assertThat(manifest.train().perClass().stream().mapToLong(Long::longValue).sum()).isEqualTo(250);
            // Its own pixel statistics, equal to a direct computation over the stored training shards.
            assertThat(manifest.formatVersion()).isEqualTo(2);
            double[] sum = new double[3];
            double[] squares = new double[3];
            long perChannel = 0;
            for (DatasetManifest.ShardRef ref : manifest.train().shards()) {
                Shard shard = ShardCodec.decode(store.get(ref.key()), ref.key());
                int plane = shard.shape().height() * shard.shape().width();
                for (int i = 0; i < shard.count(); i++) {
                    for (int c = 0; c < 3; c++) {
                        for (int p = 0; p < plane; p++) {
                            double v = (shard.pixels()[(i * 3 + c) * plane + p] & 0xFF) / 255.0;
                            sum[c] += v;
                            squares[c] += v * v;
                        }
                    }
                }
                perChannel += (long) shard.count() * plane;
            }
            for (int c = 0; c < 3; c++) {
                double mean = sum[c] / perChannel;
                assertThat(manifest.pixelStatistics().mean().get(c)).as("mean of channel %d", c)
                    .isCloseTo(mean, within(1e-9));
                assertThat(manifest.pixelStatistics().std().get(c)).as("std of channel %d", c)
                    .isCloseTo(Math.sqrt(squares[c] / perChannel - mean * mean), within(1e-9));
            }
            for (DatasetManifest.ShardRef ref : manifest.train().shards()) {
                assertThat(Sha256.hex(store.get(ref.key()))).isEqualTo(ref.digest());
                // Content-addressed, independent of the dataset id: uploads need not wait for the last shard.
                assertThat(ref.key()).isEqualTo("shards/" + ref.digest() + ".shard");
            }

            // Only this dataset's events: the broker is shared with the other ingest test classes.
            List<BatchStreamEvent> events = BatchTopic.read(infra.kafka().bootstrapServers(), first.datasetId()).stream()
                .map(BatchTopic.Placed::event).toList();
            for (int epoch = 0; epoch < 2; epoch++) {
                final int e = epoch;
                Set<String> seen = new HashSet<>();
                long count = 0;
                for (BatchStreamEvent event : events) {
                    if (event instanceof BatchReference b && b.epoch() == e) {
                        for (ShardSlice slice : b.entries()) {
                            for (int index : slice.indices()) {
                                seen.add(slice.shardDigest() + "#" + index);
                                count++;
                            }
                        }
                    }
                }
                assertThat(count).as("records published in epoch %d", e).isEqualTo(250);
                assertThat(seen).as("distinct records in epoch %d", e).hasSize(250);
                assertThat(events.stream().filter(ev -> ev instanceof EpochCompleted m && m.epoch() == e)).hasSize(1);
            }
            assertThat(events.stream().filter(BatchReference.class::isInstance)).hasSize(2 * 11);
        }

        IngestSummary second = new IngestJob(config(new IngestConfig.DatasetLocation.Synthetic(250, 60),
            infra.kafka().bootstrapServers(), 1), IngestProgress.logging()).run();
        assertThat(second.datasetId()).isEqualTo(first.datasetId());
        assertThat(second.shardsUploaded()).isZero();
        assertThat(second.bytesUploaded()).isZero();
        // Re-ingesting adds epochs after the committed ones; it never republishes epoch 0.
        assertThat(second.firstEpoch()).isEqualTo(2);
        assertThat(BatchTopic.markerEpochs(BatchTopic.read(infra.kafka().bootstrapServers(), first.datasetId())))
            .containsExactly(0, 1, 2);
    }

    @Test
    void givenKafkaUnreachable_whenIngesting_thenClearErrorAndNoManifestIsWritten() {
        List<String> manifestsBefore = manifests();
        IngestConfig config = config(new IngestConfig.DatasetLocation.Synthetic(40, 10), "127.0.0.1:1", 1);
        assertThatThrownBy(() -> new IngestJob(config, IngestProgress.logging()).run())
            .isInstanceOf(IngestFailure.class).hasMessageContaining("127.0.0.1:1").hasMessageContaining("unreachable");
        assertThat(manifests()).isEqualTo(manifestsBefore);
    }

    @Test
    void givenS3Unreachable_whenIngesting_thenErrorNamesTheEndpointAndNothingIsPublished() throws Exception {
        long before = readBatches().size();
        S3Settings nowhere = new S3Settings(URI.create("http://127.0.0.1:1"), "k", "s", "ingest-test",
            "us-east-1");
        IngestConfig config = new IngestConfig(new IngestConfig.DatasetLocation.Synthetic(40, 10), dir.resolve("cache"), 1,
            24, 7, 100, 3, true, infra.kafka().bootstrapServers(), (short) 1, nowhere);
        assertThatThrownBy(() -> new IngestJob(config, IngestProgress.logging(),
                new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(20))).run())
            .isInstanceOf(StorageException.class)
            .hasMessageContaining("http://127.0.0.1:1");
        assertThat(readBatches()).hasSize((int) before);
    }

    private static List<String> manifests() {
        try (ObjectStore store = ObjectStore.connect(s3, RetryPolicy.none())) {
            store.ensureBucket();
            return store.list("datasets/").stream().map(o -> o.key()).filter(k -> k.endsWith("manifest.json")).toList();
        }
    }

    @Test
    void givenBadRecord_whenIngesting_thenErrorNamesItAndNothingIsStoredOrPublished() throws Exception {
        Map<String, byte[]> files = DatasetFixtures.cifarFiles(4);
        files.get("cifar-10-batches-bin/data_batch_2.bin")[3073] = (byte) 200;
        Path folder = DatasetFixtures.writeFolder(dir.resolve("bad-cifar"), files);
        long before = readBatches().size();
        assertThatThrownBy(() -> new IngestJob(config(new IngestConfig.DatasetLocation.Local(folder),
            infra.kafka().bootstrapServers(), 1), IngestProgress.logging()).run())
            .isInstanceOf(DatasetException.class).hasMessageContaining("data_batch_2.bin record 1");
        assertThat(readBatches()).hasSize((int) before);
    }

    private static List<BatchStreamEvent> readBatches() throws InvalidEventException {
        return BatchTopic.readAll(infra.kafka().bootstrapServers());
    }
}
