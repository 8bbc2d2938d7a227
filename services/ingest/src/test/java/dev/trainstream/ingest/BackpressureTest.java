package dev.trainstream.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trainstream.events.consume.CommitStamp;
import dev.trainstream.events.topics.Topics;
import dev.trainstream.infra.LocalInfrastructure;
import dev.trainstream.storage.S3Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backpressure against the real broker: consumer groups commit offsets exactly as trainer runs do at checkpoints
 * (manually assigned, committed next offsets, stamped), and ingest stays within K epochs of the slowest live one.
 */
@ExtendWith(SharedInfrastructure.class)
class BackpressureTest {
    private static final String PREFIX = "bp-test-trainer-";
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    static LocalInfrastructure infra;
    static S3Settings s3;

    @BeforeAll
    static void start(LocalInfrastructure shared) {
        infra = shared;
        s3 = new S3Settings(infra.s3().endpoint(), infra.s3().accessKey(), infra.s3().secretKey(), "backpressure-test",
            "us-east-1");
    }

    private static String bootstrap() {
        return infra.kafka().bootstrapServers();
    }

    @Test
    void givenOneEpochAheadAllowed_whenTrainersCommitAtTheirOwnPace_thenIngestStaysOneEpochAheadOfTheSlowest()
        throws Exception {
        Recorder progress = new Recorder();
        IngestConfig config = oneEpochAhead(PREFIX, 4, 5);

        CompletableFuture<IngestSummary> ingest = start(config, progress);

        // No trainer yet: epoch 0 goes out, epoch 1 waits for one.
        progress.awaitLine("waiting to publish epoch 1 ", "no trainer group has committed");
        String dataset = progress.datasetId();
        assertThat(markers(dataset)).containsExactly(0);
        int partition = BatchTopic.marker(events(dataset), 0).partition();

        // A group outside the prefix that is far behind does not count.
        commit("some-other-app", partition, 0);
        commit(PREFIX + "a", partition, markerOffset(dataset, 0) + 1);
        progress.awaitLine("waiting to publish epoch 2 ", "slowest: " + PREFIX + "a");
        assertThat(markers(dataset)).containsExactly(0, 1);

        // A second, slower trainer appears (it has checkpointed inside epoch 0): it is now the one to wait for.
        commit(PREFIX + "b", partition, markerOffset(dataset, 0) - 1);
        commit(PREFIX + "a", partition, markerOffset(dataset, 1) + 1);
        progress.awaitLine("waiting to publish epoch 2 ", "slowest: " + PREFIX + "b");
        assertThat(markers(dataset)).containsExactly(0, 1);

        commit(PREFIX + "b", partition, markerOffset(dataset, 1) + 1);
        progress.awaitLine("waiting to publish epoch 3 ", "slowest: " + PREFIX);
        assertThat(markers(dataset)).containsExactly(0, 1, 2);

        commit(PREFIX + "a", partition, markerOffset(dataset, 2) + 1);
        commit(PREFIX + "b", partition, markerOffset(dataset, 2) + 1);
        IngestSummary summary = ingest.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);

        assertThat(summary.firstEpoch()).isZero();
        assertThat(summary.epochsPublished()).isEqualTo(4);
        assertThat(markers(dataset)).containsExactly(0, 1, 2, 3);
    }

    @Test
    void givenAnAbandonedRunFarBehind_whenALiveTrainerCommits_thenIngestFollowsTheLiveOneButStillWaitsForUnstampedGroups()
        throws Exception {
        String prefix = "bp-stale-trainer-";
        Recorder progress = new Recorder();
        IngestConfig config = oneEpochAhead(prefix, 3, 6);

        CompletableFuture<IngestSummary> ingest = start(config, progress);

        progress.awaitLine("waiting to publish epoch 1 ", "no trainer group has committed");
        String dataset = progress.datasetId();
        int partition = BatchTopic.marker(events(dataset), 0).partition();

        // A run that last checkpointed two hours ago, still inside epoch 0: it is not waited for, and the line says so.
        commit(prefix + "abandoned", partition, 0, stampedAgo(prefix + "abandoned", Duration.ofHours(2)));
        progress.awaitLine("waiting to publish epoch 1 ", "no live trainer group has committed",
            "ignoring 1 abandoned group (no commit for over 10 min): " + prefix + "abandoned");
        assertThat(markers(dataset)).containsExactly(0);

        // A live run past epoch 0 lets epoch 1 out although the abandoned one is further behind.
        commit(prefix + "live", partition, markerOffset(dataset, 0) + 1, stampedAgo(prefix + "live", Duration.ZERO));
        progress.awaitLine("waiting to publish epoch 2 ", "slowest: " + prefix + "live", "ignoring 1 abandoned group");
        assertThat(markers(dataset)).containsExactly(0, 1);

        // A group without a stamp (age unknown) always counts: ingest now waits for it.
        commit(prefix + "unstamped", partition, 0, "");
        commit(prefix + "live", partition, markerOffset(dataset, 1) + 1, stampedAgo(prefix + "live", Duration.ZERO));
        progress.awaitLine("waiting to publish epoch 2 ", "slowest: " + prefix + "unstamped");
        assertThat(markers(dataset)).containsExactly(0, 1);

        commit(prefix + "unstamped", partition, markerOffset(dataset, 1) + 1, "");
        IngestSummary summary = ingest.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);

        assertThat(summary.epochsPublished()).isEqualTo(3);
        assertThat(markers(dataset)).containsExactly(0, 1, 2);
    }

    /**
     * 60 synthetic images in batches of 20, at most one epoch ahead of the groups named {@code prefix*}, stale after
     * 10 minutes; the seed makes each test's dataset (and so its id and epochs) its own.
     */
    private static IngestConfig oneEpochAhead(String prefix, int epochs, long seed) {
        return new IngestConfig(new IngestConfig.DatasetLocation.Synthetic(60, 20), dir.resolve("cache-" + seed), epochs,
            20, seed, 30, 2, true, bootstrap(), (short) 1, s3,
            new IngestConfig.Backpressure(1, prefix, Duration.ofMillis(100), Duration.ofMinutes(10)));
    }

    private static CompletableFuture<IngestSummary> start(IngestConfig config, Recorder progress) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new IngestJob(config, progress).run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static String stampedAgo(String group, Duration ago) {
        return new CommitStamp(Instant.now().minus(ago), group).encode();
    }

    private static List<BatchTopic.Placed> events(String dataset) throws Exception {
        return BatchTopic.read(bootstrap(), dataset);
    }

    private static List<Integer> markers(String dataset) throws Exception {
        return BatchTopic.markerEpochs(events(dataset));
    }

    private static long markerOffset(String dataset, int epoch) throws Exception {
        return BatchTopic.marker(events(dataset), epoch).offset();
    }

    /** Commits {@code offset} for {@code group} as a trainer from before commit stamps did (no metadata). */
    private static void commit(String group, int partition, long offset) {
        commit(group, partition, offset, "");
    }

    /** Commits {@code offset} for {@code group} the way a trainer's checkpoint does: no subscription, explicit offsets. */
    private static void commit(String group, int partition, long offset, String metadata) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<String, byte[]> trainer = new KafkaConsumer<>(props)) {
            TopicPartition tp = new TopicPartition(Topics.BATCHES.name(), partition);
            trainer.assign(List.of(tp));
            trainer.commitSync(Map.of(tp, new OffsetAndMetadata(offset, metadata)));
        }
    }

    /** Keeps every progress line, so the test can wait for what ingest says it waits for. */
    private static final class Recorder implements IngestProgress {
        private static final Pattern DATASET = Pattern.compile("stored dataset (ds-[0-9a-f]+)");
        private final List<String> lines = new CopyOnWriteArrayList<>();

        @Override
        public void phase(String description) {
            lines.add(description);
        }

        @Override
        public void uploaded(long bytesUploaded, long bytesTotal) {
        }

        @Override
        public void epochPublished(int epoch, int done, int total, int batches) {
            lines.add("published epoch " + epoch);
        }

        void awaitLine(String... parts) {
            await().atMost(DEADLINE).pollInterval(Duration.ofMillis(50)).until(() -> lines.stream()
                .anyMatch(line -> List.of(parts).stream().allMatch(line::contains)));
        }

        String datasetId() {
            return lines.stream().map(DATASET::matcher).filter(Matcher::find).map(m -> m.group(1)).findFirst()
                .orElseThrow();
        }
    }
}
