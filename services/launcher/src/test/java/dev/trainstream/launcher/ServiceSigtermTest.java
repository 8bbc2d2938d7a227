package dev.trainstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trainstream.ops.config.ConnectionSettings;
import dev.trainstream.events.BatchReference;
import dev.trainstream.events.BatchStreamEvent;
import dev.trainstream.events.CheckpointCreated;
import dev.trainstream.events.EpochCompleted;
import dev.trainstream.events.EvaluationCompleted;
import dev.trainstream.events.EvaluationFailed;
import dev.trainstream.events.EvaluationOutcome;
import dev.trainstream.events.PartitionOffset;
import dev.trainstream.events.RunLifecycle;
import dev.trainstream.events.RunPhase;
import dev.trainstream.events.TrainstreamEvent;
import dev.trainstream.events.codec.EventCodec;
import dev.trainstream.events.consume.TopicReader;
import dev.trainstream.events.topics.Topic;
import dev.trainstream.events.topics.Topics;
import dev.trainstream.infra.LocalInfrastructure;
import dev.trainstream.infra.junit.ChildJvm;
import dev.trainstream.ingest.IngestConfig;
import dev.trainstream.ingest.IngestJob;
import dev.trainstream.ingest.IngestProgress;
import dev.trainstream.storage.S3Settings;
import dev.trainstream.trainer.TrainerSummary;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each service started as a user starts it ({@code trainstream <service>} in its own JVM), stopped with a real
 * SIGTERM: it finishes the work in hand, commits it, closes, and exits 0 within its grace period. The broker and S3
 * server are this class's own, so every record on the topics is this class's.
 */
class ServiceSigtermTest {
    private static final Duration EXIT_LIMIT = Duration.ofSeconds(90);
    private static final EventCodec CODEC = EventCodec.create("/test/sigterm");

    @TempDir
    static Path dir;
    static LocalInfrastructure infra;

    @BeforeAll
    static void startInfrastructure() {
        infra = LocalInfrastructure.start(dir.resolve("infra"));
    }

    @AfterAll
    static void stopInfrastructure() {
        if (infra != null) {
            infra.close();
        }
    }

    @Test
    void givenIngestWaitingForTrainers_whenSigterm_thenItExits0WithOnlyWholeEpochsPublished() throws Exception {
        try (ChildJvm ingest = launch(dir.resolve("ingest.log"), with(connection("ingest"),
            "--synthetic", "--synthetic-train", "256", "--synthetic-test", "64", "--epochs", "4", "--batch-size", "32",
            "--seed", "11", "--max-epochs-ahead", "1", "--trainer-group-prefix", "nobody-trains-"))) {
            // Backpressure holds epoch 1 until a trainer reads epoch 0; nobody does, so it waits there.
            await().atMost(EXIT_LIMIT).until(() -> events(Topics.BATCHES).stream().anyMatch(e ->
                e instanceof EpochCompleted marker && marker.records() == 256) || !ingest.alive());
            ingest.sigterm();

            assertThat(ingest.awaitExit(EXIT_LIMIT)).as("exit status; log:%n%s", ingest.output()).isZero();
            Matcher summary = Pattern.compile("dataset (\\S+): .*\\(stopped early\\)").matcher(ingest.output());
            assertThat(summary.find()).as("summary says it stopped early; log:%n%s", ingest.output()).isTrue();
            String datasetId = summary.group(1);
            List<BatchStreamEvent> stream = events(Topics.BATCHES).stream()
                .filter(e -> e.datasetId().equals(datasetId)).toList();
            assertThat(stream.stream().filter(EpochCompleted.class::isInstance).map(e -> ((EpochCompleted) e).epoch()))
                .as("committed epoch markers").containsExactly(0);
            assertThat(stream.stream().filter(BatchReference.class::isInstance)).as("batches of epoch 0").hasSize(8);
            assertThat(ingest.output()).contains("stopped gracefully");
        }
    }

    @Test
    void givenTrainerMidRun_whenSigterm_thenItCheckpointsCommitsThoseOffsetsAnnouncesTheStopAndExitsUnfinished()
        throws Exception {
        String datasetId = ingestSynthetic(2048, 64, 3, 21);
        String runId = "sigterm-trainer";
        try (ChildJvm trainer = trainer(runId, datasetId, 3, "--metrics-every-steps", "2",
            "--checkpoint-every-steps", "0")) {
            await().atMost(EXIT_LIMIT).until(() -> trainer.output().contains("step 2 loss") || !trainer.alive());
            trainer.sigterm();

            // Not 0: the run is unfinished, so a Kubernetes Job replaces the pod (and compose restarts it) to resume.
            assertThat(trainer.awaitExit(EXIT_LIMIT)).as("exit status; log:%n%s", trainer.output())
                .isEqualTo(TrainerSummary.EXIT_UNFINISHED);
            assertThat(trainer.output()).contains("stopped gracefully", "(stopped early)");
            RunLifecycle stopped = events(Topics.RUNS).stream()
                .filter(r -> r.runId().equals(runId) && r.phase() == RunPhase.STOPPED).findFirst()
                .orElseThrow(() -> new AssertionError("no STOPPED event; log:\n" + trainer.output()));
            CheckpointCreated last = events(Topics.CHECKPOINTS).stream().filter(c -> c.runId().equals(runId))
                .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no checkpoint; log:\n" + trainer.output()));
            assertThat(last.step()).as("final checkpoint at the step the stop names").isEqualTo(stopped.steps());
            assertThat(last.epoch()).as("stopped before the last epoch").isLessThan(3);
            Map<Integer, Long> committed = committed("trainstream-trainer-" + runId, Topics.BATCHES);
            assertThat(committed).as("group offsets = the final checkpoint's offsets")
                .isEqualTo(last.batchOffsets().stream()
                    .collect(Collectors.toMap(PartitionOffset::partition, PartitionOffset::offset)));
        }
    }

    @Test
    void givenEvaluatorScoringABacklog_whenSigterm_thenEveryCheckpointItAnnouncedIsCommittedAndNothingElse()
        throws Exception {
        String datasetId = ingestSynthetic(512, 2000, 1, 31);
        String runId = "sigterm-evaluated";
        try (ChildJvm trainer = trainer(runId, datasetId, 1, "--checkpoint-every-steps", "3",
            "--keep-checkpoints", "20")) {
            assertThat(trainer.awaitExit(EXIT_LIMIT)).as("training the checkpoints; log:%n%s", trainer.output())
                .isZero();
        }
        long checkpoints = events(Topics.CHECKPOINTS).stream().filter(c -> c.runId().equals(runId)).count();
        assertThat(checkpoints).as("checkpoints to score").isGreaterThanOrEqualTo(5);
        String group = "sigterm-evaluator";
        try (ChildJvm evaluator = launch(dir.resolve("evaluator.log"), with(connection("evaluator"),
            "--evaluator-group", group, "--eval-threads", "1", "--eval-device", "cpu",
            "--catch-up-newest-only-when-behind", "0"))) {
            await().atMost(EXIT_LIMIT).until(() -> !announced(runId).isEmpty() || !evaluator.alive());
            evaluator.sigterm();

            assertThat(evaluator.awaitExit(EXIT_LIMIT)).as("exit status; log:%n%s", evaluator.output()).isZero();
            assertThat(evaluator.output()).contains("stopped gracefully", "checkpoints scored");
            // Whatever this instance announced (every run on this class's broker) is committed, and nothing more:
            // a restart neither skips an unscored checkpoint nor re-announces a scored one.
            Set<String> announced = announced(null);
            long committed = committed(group, Topics.CHECKPOINTS).values().stream().mapToLong(Long::longValue).sum();
            assertThat(committed).as("committed checkpoint events vs %s; log:%n%s", announced, evaluator.output())
                .isEqualTo(announced.size());
        }
    }

    @Test
    void givenDashboardServing_whenSigterm_thenItStopsListeningAndExits0() throws Exception {
        try (ChildJvm dashboard = launch(dir.resolve("dashboard.log"), List.of("dashboard",
            "--kafka-bootstrap", infra.kafka().bootstrapServers(), "--http-port", "0", "--http-bind", "127.0.0.1",
            "--grace-seconds", "30"))) {
            await().atMost(EXIT_LIMIT).until(() -> dashboard.output().contains("dashboard at ") || !dashboard.alive());
            Matcher url = Pattern.compile("dashboard at http://127\\.0\\.0\\.1:(\\d+)/").matcher(dashboard.output());
            assertThat(url.find()).as("dashboard URL; log:%n%s", dashboard.output()).isTrue();
            int port = Integer.parseInt(url.group(1));
            assertThat(listening(port)).isTrue();
            dashboard.sigterm();

            assertThat(dashboard.awaitExit(EXIT_LIMIT)).as("exit status; log:%n%s", dashboard.output()).isZero();
            assertThat(dashboard.output()).contains("stopped gracefully");
            assertThat(listening(port)).as("port %d closed", port).isFalse();
        }
    }

    /** {@code trainstream <args>} in its own JVM, as a user starts it. */
    private static ChildJvm launch(Path log, List<String> args) {
        return ChildJvm.start(log, List.of(), TrainstreamCommand.class, args);
    }

    /** A narrow CPU trainer of {@code datasetId} in its own JVM, logging to {@code <runId>.log}. */
    private static ChildJvm trainer(String runId, String datasetId, int epochs, String... more) {
        List<String> args = with(connection("trainer"), "--run-id", runId, "--dataset-id", datasetId, "--train-epochs",
            Integer.toString(epochs), "--width-multiplier", "0.25", "--threads", "1", "--device", "cpu");
        args.addAll(List.of(more));
        return launch(dir.resolve(runId + ".log"), args);
    }

    private static String ingestSynthetic(int images, int testImages, int epochs, long seed) throws Exception {
        IngestConfig config = new IngestConfig(new IngestConfig.DatasetLocation.Synthetic(images, testImages),
            dir.resolve("cache-" + seed), epochs, 32, seed, 256, 2, true, infra.kafka().bootstrapServers(), (short) 1,
            s3Settings());
        return new IngestJob(config, IngestProgress.logging()).run().datasetId();
    }

    private static S3Settings s3Settings() {
        return new S3Settings(infra.s3().endpoint(), infra.s3().accessKey(),
            infra.s3().secretKey(), ConnectionSettings.S3_BUCKET.required(), ConnectionSettings.S3_REGION.required());
    }

    private static List<String> connection(String command) {
        return List.of(command, "--kafka-bootstrap", infra.kafka().bootstrapServers(), "--s3-endpoint",
            infra.s3().endpoint().toString(), "--s3-access-key", infra.s3().accessKey(), "--s3-secret-key",
            infra.s3().secretKey(), "--http-port", "0", "--grace-seconds", "60");
    }

    private static List<String> with(List<String> first, String... more) {
        List<String> all = new ArrayList<>(first);
        all.addAll(List.of(more));
        return all;
    }

    /** Checkpoints with a completed or failed evaluation announced; of {@code runId}, or of every run when null. */
    private static Set<String> announced(String runId) throws Exception {
        return events(Topics.EVALUATIONS).stream()
            .filter(o -> o instanceof EvaluationCompleted || o instanceof EvaluationFailed)
            .filter(o -> runId == null || o.runId().equals(runId))
            .map(EvaluationOutcome::checkpointUri).collect(Collectors.toSet());
    }

    private static <V extends TrainstreamEvent> List<V> events(Topic<V> topic) throws Exception {
        return TopicReader.events(infra.kafka().bootstrapServers(), topic, CODEC, Duration.ofSeconds(30));
    }

    private static Map<Integer, Long> committed(String group, Topic<?> topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            infra.kafka().bootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get();
            return offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(topic.name()) && e.getValue() != null)
                .collect(Collectors.toMap(e -> e.getKey().partition(), e -> e.getValue().offset()));
        }
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return socket.isConnected();
        } catch (IOException e) {
            return false;
        }
    }
}
