package dev.trainstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainstream.events.CheckpointCreated;
import dev.trainstream.events.EvaluationCompleted;
import dev.trainstream.events.GateDecision;
import dev.trainstream.events.MetricRecord;
import dev.trainstream.events.ModelSpec;
import dev.trainstream.events.PartitionOffset;
import dev.trainstream.events.RunConfig;
import dev.trainstream.events.RunLifecycle;
import dev.trainstream.events.RunPhase;
import dev.trainstream.events.TrainingMetrics;
import dev.trainstream.events.codec.EventCodec;
import dev.trainstream.events.consume.CommitStamp;
import dev.trainstream.events.produce.EventPublisher;
import dev.trainstream.events.topics.TopicAdmin;
import dev.trainstream.events.topics.Topics;
import dev.trainstream.infra.LocalInfrastructure;
import dev.trainstream.storage.ObjectStore;
import dev.trainstream.storage.RetryPolicy;
import dev.trainstream.storage.S3Settings;
import dev.trainstream.storage.checkpoint.BestModelPointer;
import dev.trainstream.storage.checkpoint.BestModelStore;
import dev.trainstream.storage.checkpoint.CheckpointLayout;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

/** {@code trainstream runs}, {@code tail} and {@code status} against a real broker and S3 server. */
@ExtendWith(SharedInfrastructure.class)
class OperatorCommandsTest {
    static final String RUN = "run-cli-a";
    static final String OTHER = "run-cli-b";
    /** The run whose events the live-tail test publishes while tailing (kept apart from the fixed history). */
    static final String LIVE = "run-cli-live";
    /** A run id carrying a terminal escape sequence (clear screen) that must not reach the terminal. */
    static final String HOSTILE = "evil\u001b[2J-run";
    static final Instant T0 = Instant.parse("2026-02-01T09:00:00Z");
    static final ModelSpec MODEL = new ModelSpec(0.25, 32, 1, "relu", 10, 0.0);
    static final String SHA = "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";
    static final int HISTORY_METRICS = 4;

    static LocalInfrastructure infra;
    static EventPublisher publisher;
    static final AtomicLong liveStep = new AtomicLong(1000);

    @BeforeAll
    static void publishHistory(LocalInfrastructure shared) {
        infra = shared;
        TopicAdmin.ensureTopics(infra.kafka().bootstrapServers(), Topics.all(), (short) 1);
        publisher = EventPublisher.create(infra.kafka().bootstrapServers(), EventCodec.create("/test"), "cli-test");
        publisher.publish(Topics.RUNS, new RunLifecycle(RUN, RunPhase.STARTED, T0,
            new RunConfig("synthetic-10c", MODEL, "sgd", 0.1, 0.9, 0.0, 32, 2, 7L), Map.of(), 0, null));
        for (int i = 1; i <= HISTORY_METRICS; i++) {
            publisher.publish(Topics.METRICS, metrics(RUN, i * 10L));
        }
        publisher.publish(Topics.METRICS, metrics(OTHER, 5));
        publisher.publish(Topics.METRICS, metrics(HOSTILE, 3));
        publisher.publish(Topics.CHECKPOINTS, new CheckpointCreated(RUN, checkpointUri(40), SHA, 1000, 40, 0,
            "synthetic-10c", "datasets/synthetic-10c/manifest.json", List.of(new PartitionOffset(0, 40)), MODEL,
            0.9, 0.7, T0.plusSeconds(40)));
        publisher.publish(Topics.EVALUATIONS, evaluation(RUN, 40));
    }

    @AfterAll
    static void stop() {
        if (publisher != null) {
            publisher.close();
        }
    }

    @Test
    void givenRunsOnTheTopics_whenListingRuns_thenOneRowPerRunWithStatusStepsAndBestAccuracy() {
        String out = execute("runs", "--kafka-bootstrap", infra.kafka().bootstrapServers());

        String row = line(out, RUN);
        assertThat(row).contains("running", "synthetic-10c", "40", "62.50%", "2026-02-01T09:00:45Z");
        assertThat(line(out, OTHER)).contains("unknown", "5");
        assertThat(out).doesNotContain("\u001b").contains("evil\uFFFD[2J-run");
        assertThat(out.lines().reduce((a, b) -> b).orElseThrow()).matches("\\d+ runs");
    }

    @Test
    void givenHistory_whenTailingFromTheBeginning_thenTheRunsMetricAndEvaluationEventsPrintOneLineEach() {
        String out = execute("tail", "--kafka-bootstrap", infra.kafka().bootstrapServers(), "--run", RUN,
            "--from-beginning", "--max-events", String.valueOf(HISTORY_METRICS + 1));

        List<String> lines = out.lines().toList();
        assertThat(lines).hasSize(HISTORY_METRICS + 1);
        assertThat(lines).filteredOn(l -> l.startsWith("step ")).hasSize(HISTORY_METRICS)
            .allSatisfy(l -> assertThat(l).contains("train.loss=", "images_per_second="));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("eval step 40").contains("accuracy=62.50%",
            "promoted"));
        assertThat(out).doesNotContain(OTHER);
    }

    @Test
    void givenAnInvalidRecordWithATerminalEscape_whenTailing_thenItsProblemIsPrintedCleaned() throws Exception {
        String run = "run-cli-invalid";
        // A record whose ce_type carries "clear screen": the codec's problem text quotes it back.
        Properties props = new Properties();
        props.put("bootstrap.servers", infra.kafka().bootstrapServers());
        try (KafkaProducer<String, byte[]> raw =
                 new KafkaProducer<>(props,
                     new StringSerializer(),
                     new ByteArraySerializer())) {
            ProducerRecord<String, byte[]> bad =
                new ProducerRecord<>(Topics.METRICS.name(), run, "{}".getBytes());
            for (String[] h : new String[][] {{"ce_specversion", "1.0"}, {"ce_id", "x"}, {"ce_source", "/x"},
                {"ce_type", "evil\u001b[2J-type"}, {"content-type", "application/json"}}) {
                bad.headers().add(h[0], h[1].getBytes(StandardCharsets.UTF_8));
            }
            raw.send(bad).get();
        }
        publisher.publish(Topics.METRICS, metrics(run, 1));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = TrainstreamCommand.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));

        assertThat(cli.execute("tail", "--kafka-bootstrap", infra.kafka().bootstrapServers(), "--run", run,
            "--from-beginning", "--max-events", "1")).isZero();

        assertThat(err.toString()).contains("skipping invalid record at " + Topics.METRICS.name())
            .contains("evil\uFFFD[2J-type").doesNotContain("\u001b");
        assertThat(out.toString()).startsWith("step 1");
    }

    @Test
    void givenJson_whenTailing_thenEachLineIsTheTypedEventPayload() throws Exception {
        String out = execute("tail", "--kafka-bootstrap", infra.kafka().bootstrapServers(), "--run", RUN,
            "--from-beginning", "--max-events", "2", "--json");

        ObjectMapper json = new ObjectMapper();
        List<String> lines = out.lines().toList();
        assertThat(lines).hasSize(2);
        for (String line : lines) {
            JsonNode event = json.readTree(line);
            assertThat(event.get("type").asText()).startsWith("dev.trainstream.");
            assertThat(event.at("/data/runId").asText()).isEqualTo(RUN);
        }
    }

    @Test
    void givenNoFromBeginning_whenTailing_thenOnlyEventsPublishedAfterTheStartArePrinted() throws Exception {
        StringWriter out = new StringWriter();
        CommandLine cli = TrainstreamCommand.commandLine();
        cli.setOut(new PrintWriter(out));
        CompletableFuture<Integer> tail = CompletableFuture.supplyAsync(() -> cli.execute("tail", "--kafka-bootstrap",
            infra.kafka().bootstrapServers(), "--run", LIVE, "--max-events", "1"));

        // The tail starts at the end whenever it gets there; keep publishing until it has seen one new event.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> {
            if (!tail.isDone()) {
                publisher.publish(Topics.METRICS, metrics(LIVE, liveStep.incrementAndGet()));
            }
            return tail.isDone();
        });

        assertThat(tail.get(1, TimeUnit.SECONDS)).isZero();
        List<String> lines = out.toString().lines().toList();
        assertThat(lines).hasSize(1);
        long step = Long.parseLong(lines.get(0).split(" ")[1]);
        assertThat(step).isGreaterThan(1000);
    }

    @Test
    void givenAGroupBehindAndCheckpointsInS3_whenAskingStatus_thenLagNewestCheckpointAndBestModelShow()
        throws Exception {
        String bootstrap = infra.kafka().bootstrapServers();
        TopicPartition runPartition = partitionWithRecords(bootstrap, RUN);
        long end;
        try (KafkaConsumer<String, byte[]> group = consumer(bootstrap, "status-test-group")) {
            end = group.endOffsets(List.of(runPartition)).get(runPartition);
            group.assign(List.of(runPartition));
            group.commitSync(Map.of(runPartition, new OffsetAndMetadata(2)));
        }
        try (KafkaConsumer<String, byte[]> trainer = consumer(bootstrap, "status-test-stamped")) {
            trainer.assign(List.of(runPartition));
            trainer.commitSync(Map.of(runPartition, new OffsetAndMetadata(1,
                new CommitStamp(Instant.now().minus(Duration.ofMinutes(125)), "abandoned-run").encode())));
        }
        S3Settings s3 = new S3Settings(infra.s3().endpoint(), infra.s3().accessKey(), infra.s3().secretKey(),
            "trainstream", "us-east-1");
        try (ObjectStore store = ObjectStore.connect(s3, RetryPolicy.none())) {
            store.ensureBucket();
            for (long step : new long[] {20, 40}) {
                store.put(CheckpointLayout.checkpointKey(RUN, step), new byte[] {1, 2, 3}, "application/zip");
            }
            new BestModelStore(store).replace(new BestModelPointer(RUN, checkpointUri(20), "00", 20, 1, 0.625, 1.0,
                Instant.parse("2026-01-01T00:00:00Z"), null, null, EvaluationCompleted.HORIZONTAL_FLIP));
        }

        String out = execute("status", "--kafka-bootstrap", bootstrap, "--s3-endpoint", s3.endpoint().toString(),
            "--s3-access-key", s3.accessKey(), "--s3-secret-key", s3.secretKey(), "--s3-bucket", "trainstream");

        String lag = line(out, "status-test-group");
        assertThat(Arrays.asList(lag.trim().split("\\s+"))).containsExactly("status-test-group", Topics.METRICS.name(),
            "2", String.valueOf(end), String.valueOf(end - 2), "-");
        assertThat(line(out, "status-test-stamped")).as("the age of the trainer's last stamped commit (2h 5m, or 6m on a "
            + "slow machine)").containsPattern(" 2h [56]m ago$");
        assertThat(line(out, RUN + " ")).contains("step-0000000040.ckpt", "62.50% hflip", "step 20",
            "step-0000000020.ckpt");
    }

    @Test
    void givenAFlipScoredEvaluation_whenPrintedByTail_thenTheLineSaysSoAndAPlainOneDoesNot() {
        EvaluationCompleted plain = evaluation(RUN, 40);
        EvaluationCompleted flipped = new EvaluationCompleted(plain.runId(), plain.checkpointUri(),
            plain.checkpointSha256(), plain.step(), plain.epoch(), plain.accuracy(), plain.meanLoss(), plain.classes(),
            plain.perClassAccuracy(), plain.confusionMatrix(), plain.examples(), plain.imagesPerSecond(),
            plain.durationMs(), plain.gate(), plain.evaluatedAt(), EvaluationCompleted.HORIZONTAL_FLIP);

        assertThat(TailCommand.asText(flipped)).contains("examples=8  tta=hflip  promoted");
        assertThat(TailCommand.asText(plain)).contains("examples=8  promoted").doesNotContain("tta=");
    }

    @Test
    void givenAnUnknownRun_whenAskingStatusForIt_thenItSaysSoInsteadOfFailing() {
        String out = execute("status", "--kafka-bootstrap", infra.kafka().bootstrapServers(), "--run", "nobody",
            "--s3-endpoint", infra.s3().endpoint().toString(), "--s3-access-key", infra.s3().accessKey(),
            "--s3-secret-key", infra.s3().secretKey(), "--s3-bucket", "trainstream");
        assertThat(out).contains("no objects of run nobody");
    }

    @Test
    void givenNoRunOption_whenTailing_thenExitCodeNamesTheMissingOption() {
        StringWriter err = new StringWriter();
        CommandLine cli = TrainstreamCommand.commandLine();
        cli.setErr(new PrintWriter(err));
        assertThat(cli.execute("tail", "--kafka-bootstrap", infra.kafka().bootstrapServers())).isNotZero();
        assertThat(err.toString()).contains("--run");
    }

    @Test
    void givenHelp_whenPrinted_thenTheNewCommandsAreListedAndTheDashboardNamesItsSettings() {
        String help = execute("--help");
        assertThat(help).contains("dashboard", "runs", "tail", "status");
        String dashboard = execute("dashboard", "--help");
        assertThat(dashboard).contains("TRAINSTREAM_KAFKA_BOOTSTRAP", "TRAINSTREAM_HTTP_PORT",
            "TRAINSTREAM_HTTP_BIND", "TRAINSTREAM_DASHBOARD_TOKEN", "TRAINSTREAM_DASHBOARD_MAX_LIVE_STREAMS");
    }

    @Test
    void givenTheDashboardCommand_whenStarted_thenItServesTheRunsUntilStopped() throws Exception {
        DashboardCommand command = new DashboardCommand();
        StringWriter out = new StringWriter();
        CommandLine cli = SettingsCatalog.install(new CommandLine(command));
        cli.setOut(new PrintWriter(out));
        CompletableFuture<Integer> serving = CompletableFuture.supplyAsync(() -> cli.execute("--kafka-bootstrap",
            infra.kafka().bootstrapServers(), "--http-port", "0", "--http-bind", "127.0.0.1"));
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> out.toString().contains("dashboard at "));
            String url = out.toString().split("dashboard at ")[1].split(" ")[0];
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            await().atMost(Duration.ofSeconds(30)).until(() -> http.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + "api/runs")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body().contains(RUN));
        } finally {
            command.stop();
        }
        assertThat(serving.get(30, TimeUnit.SECONDS)).isZero();
    }

    private static String execute(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = TrainstreamCommand.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int rc = cli.execute(args);
        assertThat(rc).as("exit code of %s; stderr: %s", args[0], err).isZero();
        return out.toString();
    }

    private static String line(String output, String containing) {
        return output.lines().filter(l -> l.contains(containing)).findFirst()
            .orElseThrow(() -> new AssertionError("no line with " + containing + " in:\n" + output));
    }

    private static TrainingMetrics metrics(String runId, long step) {
        long at = T0.plusSeconds(step).toEpochMilli();
        return new TrainingMetrics(runId, List.of(new MetricRecord("train.loss", 2.0 / step, at, step),
            new MetricRecord("images_per_second", 300 + step, at, step)));
    }

    private static String checkpointUri(long step) {
        return "s3://trainstream/" + CheckpointLayout.checkpointKey(RUN, step);
    }

    private static EvaluationCompleted evaluation(String runId, long step) {
        List<String> classes = List.of("a", "b");
        return new EvaluationCompleted(runId, checkpointUri(step), SHA, step, 0, 0.625, 0.8, classes,
            List.of(0.5, 0.75), List.of(List.of(2L, 2L), List.of(1L, 3L)), 8, 100.0, 80,
            new GateDecision(true, true, "first checkpoint"), T0.plusSeconds(step + 5), null);
    }

    private static TopicPartition partitionWithRecords(String bootstrap, String runId) {
        try (KafkaConsumer<String, byte[]> reader = consumer(bootstrap, "status-test-probe")) {
            List<TopicPartition> all = new ArrayList<>();
            reader.partitionsFor(Topics.METRICS.name()).forEach(p -> all.add(new TopicPartition(p.topic(),
                p.partition())));
            reader.assign(all);
            reader.seekToBeginning(all);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (var record : reader.poll(Duration.ofMillis(200))) {
                    if (runId.equals(record.key())) {
                        return new TopicPartition(record.topic(), record.partition());
                    }
                }
            }
            throw new AssertionError("no metrics of " + runId);
        }
    }

    private static KafkaConsumer<String, byte[]> consumer(String bootstrap, String group) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(props);
    }
}
