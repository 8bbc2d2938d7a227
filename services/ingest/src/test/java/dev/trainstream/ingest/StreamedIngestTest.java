package dev.trainstream.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainstream.infra.LocalInfrastructure;
import dev.trainstream.ingest.source.Cifar10Binary;
import dev.trainstream.ingest.source.DatasetException;
import dev.trainstream.ingest.source.DatasetFixtures;
import dev.trainstream.ingest.store.DatasetWriter;
import dev.trainstream.ingest.timeline.PhaseSpan;
import dev.trainstream.storage.ObjectStore;
import dev.trainstream.storage.RetryPolicy;
import dev.trainstream.storage.S3Settings;
import dev.trainstream.storage.dataset.DatasetStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CIFAR-10 binary archive is cut into shards while it is read: the dataset must come out exactly as if it had been
 * read whole first (same shards, same id) in any member order, and bad input found late must leave no dataset.
 */
@ExtendWith(SharedInfrastructure.class)
class StreamedIngestTest {
    private static final String DIR = "cifar-10-batches-bin/";
    @TempDir
    static Path dir;
    static LocalInfrastructure infra;

    @BeforeAll
    static void start(LocalInfrastructure shared) {
        infra = shared;
    }

    private static S3Settings bucket(String name) {
        return new S3Settings(infra.s3().endpoint(), infra.s3().accessKey(), infra.s3().secretKey(), name, "us-east-1");
    }

    /** The member order of the files, as a scrambled archive (data_batch_2 late, meta in between) would have it. */
    private static Map<String, byte[]> scrambled(Map<String, byte[]> files) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (String name : List.of("data_batch_1.bin", "batches.meta.txt", "data_batch_3.bin", "data_batch_4.bin",
            "test_batch.bin", "data_batch_2.bin", "data_batch_5.bin")) {
            out.put(DIR + name, files.get(DIR + name));
        }
        return out;
    }

    private static IngestConfig config(Path archive, S3Settings s3) {
        // 13 records per file and 5 per shard: shards straddle file boundaries.
        return new IngestConfig(new IngestConfig.DatasetLocation.Local(archive), dir.resolve("cache"), 1, 8, 3, 5, 3,
            false, infra.kafka().bootstrapServers(), (short) 1, s3);
    }

    @Test
    void givenScrambledArchive_whenIngestedWhileRead_thenDatasetEqualsTheOneStoredAfterReadingItWhole() throws Exception {
        Path archive = DatasetFixtures.writeTarGz(dir.resolve("scrambled.tar.gz"),
            scrambled(DatasetFixtures.cifarFiles(13)));
        List<List<PhaseSpan>> reported = new ArrayList<>();
        IngestProgress listening = new IngestProgress() {
            @Override
            public void phase(String description) {
            }

            @Override
            public void uploaded(long bytesUploaded, long bytesTotal) {
            }

            @Override
            public void epochPublished(int epoch, int done, int total, int batches) {
            }

            @Override
            public void phases(List<PhaseSpan> spans) {
                reported.add(spans);
            }
        };

        IngestSummary streamed = new IngestJob(config(archive, bucket("streamed")), listening).run();

        DatasetWriter.Stored whole;
        try (ObjectStore store = ObjectStore.connect(bucket("read-whole"), RetryPolicy.none())) {
            store.ensureBucket();
            whole = new DatasetWriter(new DatasetStore(store), 5, 2, Clock.systemUTC())
                .write(new Cifar10Binary(archive, "x").load(), bytes -> { });
        }
        try (ObjectStore store = ObjectStore.connect(bucket("streamed"), RetryPolicy.none())) {
            var manifest = new DatasetStore(store).readManifest(streamed.manifestKey());
            assertThat(manifest.datasetId()).isEqualTo(whole.manifest().datasetId());
            assertThat(manifest.train()).isEqualTo(whole.manifest().train());
            assertThat(manifest.test()).isEqualTo(whole.manifest().test());
            assertThat(manifest.pixelStatistics()).isEqualTo(whole.manifest().pixelStatistics());
            assertThat(manifest.train().shards()).hasSize(13); // 65 records, 5 per shard, across file boundaries
        }
        assertThat(streamed.shardsUploaded()).isEqualTo(13 + 3);
        assertThat(reported).hasSize(1);
        assertThat(reported.get(0)).extracting(PhaseSpan::name).contains("kafka checks", "read", "cut + hash",
            "upload", "last uploads + manifest", "transaction init", "epoch scan", "publish");
    }

    @Test
    void givenBadLabelFoundOnlyWhenTheClassListArrivesLast_whenIngesting_thenErrorNamesItAndNoDatasetIsVisible()
        throws Exception {
        Map<String, byte[]> files = DatasetFixtures.cifarFiles(13);
        files.get(DIR + "data_batch_1.bin")[2 * 3073] = (byte) 10; // record 2: label 10 of 10 classes
        byte[] meta = files.remove(DIR + "batches.meta.txt");
        files.put(DIR + "batches.meta.txt", meta); // last: every record file is handed over before the check
        Path archive = DatasetFixtures.writeTarGz(dir.resolve("late-bad.tar.gz"), files);
        S3Settings s3 = bucket("late-bad");
        long batchesBefore = BatchTopic.readAll(infra.kafka().bootstrapServers()).size();

        assertThatThrownBy(() -> new IngestJob(config(archive, s3), IngestProgress.logging()).run())
            .isInstanceOf(DatasetException.class)
            .hasMessageContaining("data_batch_1.bin record 2").hasMessageContaining("label 10");

        try (ObjectStore store = ObjectStore.connect(s3, RetryPolicy.none())) {
            store.ensureBucket();
            assertThat(store.list("datasets/")).isEmpty();
        }
        assertThat(BatchTopic.readAll(infra.kafka().bootstrapServers())).hasSize((int) batchesBefore);
    }
}
