package dev.trainstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainstream.events.BatchReference;
import dev.trainstream.events.CheckpointCreated;
import dev.trainstream.events.EpochCompleted;
import dev.trainstream.events.EvaluationCompleted;
import dev.trainstream.events.RunLifecycle;
import dev.trainstream.events.RunPhase;
import dev.trainstream.events.TrainingMetrics;
import dev.trainstream.events.TrainstreamEvent;
import dev.trainstream.events.codec.EventCodec;
import dev.trainstream.events.codec.InvalidEventException;
import dev.trainstream.events.consume.TopicReader;
import dev.trainstream.events.topics.Topic;
import dev.trainstream.events.topics.Topics;
import dev.trainstream.infra.LocalInfrastructure;
import dev.trainstream.ingest.source.DatasetException;
import dev.trainstream.storage.ObjectStore;
import dev.trainstream.storage.ObjectUri;
import dev.trainstream.storage.RetryPolicy;
import dev.trainstream.storage.Sha256;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The end-to-end slice, for real: embedded Kafka broker and S3 server, ingest → batch references → trainer →
 * checkpoint in S3 + event → evaluator → evaluation event; every event on every topic decodes against its schema.
 */
class UpPipelineTest {
    @TempDir
    Path workDir;

    @Test
    void givenIngestFails_whenUpRuns_thenEveryServiceIsStoppedAndClosedOnItsOwnThreadAndTheErrorNamesTheFile()
        throws Exception {
        Path corrupt = workDir.resolve("corrupt.tar.gz");
        Files.write(corrupt, new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2, 3});
        UpCommand up = new UpCommand();
        SettingsCatalog.install(new CommandLine(up)).parseArgs("--dataset", corrupt.toString(), "--epochs", "1", "--width-multiplier", "0.25",
            "--threads", "1", "--eval-threads", "1", "--device", "cpu", "--eval-device", "cpu", "--dashboard-port", "0",
            "--work-dir", workDir.resolve("failing").toString());
        up.output(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

        try (CapturedLog log = CapturedLog.start()) {
            assertThatThrownBy(() -> up.runPipeline(infra -> { })).isInstanceOf(DatasetException.class)
                .hasMessageContaining(corrupt.getFileName().toString());

            assertThat(Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName))
                .as("service threads joined").doesNotContain("trainer", "evaluator", "ingest", "dashboard");
            assertThat(log.lines()).as("closing under a running loop").noneMatch(l -> l.contains(
                "ConcurrentModificationException") || l.matches("(?s).*closing \\S+ failed.*"));
        }
    }

    @Test
    void givenSyntheticData_whenUpRuns_thenEveryBatchIsTrainedOnceAndTheFinalCheckpointIsScoredAboveChance()
        throws Exception {
        UpCommand up = new UpCommand();
        SettingsCatalog.install(new CommandLine(up)).parseArgs("--synthetic", "--synthetic-train", "1200", "--synthetic-test", "300",
            "--epochs", "2", "--batch-size", "32", "--width-multiplier", "0.25", "--metrics-every-steps", "10",
            "--learning-rate", "0.1",
            "--checkpoint-every-steps", "25", "--threads", "2", "--eval-threads", "2", "--device", "cpu",
            "--eval-device", "cpu", "--dashboard-port", "0", "--work-dir", workDir.resolve("local").toString());
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        up.output(new PrintStream(printed, true, StandardCharsets.UTF_8));
        List<List<TrainstreamEvent>> seen = new ArrayList<>();
        List<String> checkpointDigestsInS3 = new ArrayList<>();

        UpCommand.Outcome outcome = up.runPipeline(infra -> {
            EventCodec codec = EventCodec.create("/test");
            for (Topic<?> topic : Topics.all()) {
                seen.add(new ArrayList<>(readAll(infra, topic, codec)));
            }
            try (ObjectStore store = ObjectStore.connect(new dev.trainstream.storage.S3Settings(infra.s3().endpoint(),
                infra.s3().accessKey(), infra.s3().secretKey(), "trainstream", "us-east-1"), RetryPolicy.none())) {
                for (TrainstreamEvent e : seen.get(Topics.all().indexOf(Topics.CHECKPOINTS))) {
                    CheckpointCreated c = (CheckpointCreated) e;
                    ObjectUri uri = ObjectUri.parse(c.checkpointUri());
                    if (store.exists(uri.key())) {
                        checkpointDigestsInS3.add(c.checkpointUri() + "=" + Sha256.hex(store.get(uri.key())));
                    }
                }
            }
        });

        List<TrainstreamEvent> batches = seen.get(Topics.all().indexOf(Topics.BATCHES));
        List<TrainstreamEvent> checkpoints = seen.get(Topics.all().indexOf(Topics.CHECKPOINTS));
        List<TrainstreamEvent> evaluations = seen.get(Topics.all().indexOf(Topics.EVALUATIONS));
        List<TrainstreamEvent> metrics = seen.get(Topics.all().indexOf(Topics.METRICS));
        List<TrainstreamEvent> runs = seen.get(Topics.all().indexOf(Topics.RUNS));
        List<TrainstreamEvent> deadLetters = seen.get(Topics.all().indexOf(Topics.DEAD_LETTERS));

        // Every batch reference published was trained exactly once: 2 epochs of ceil(1200 / 32) = 38 steps.
        long batchRefs = batches.stream().filter(BatchReference.class::isInstance).count();
        assertThat(batchRefs).isEqualTo(2 * 38);
        assertThat(batches.stream().filter(EpochCompleted.class::isInstance)).hasSize(2);
        assertThat(outcome.trainer().steps()).isEqualTo(batchRefs);
        assertThat(outcome.trainer().epochs()).isEqualTo(2);
        assertThat(outcome.trainer().deadLettered()).isZero();
        assertThat(deadLetters).isEmpty();

        // Checkpoints: every 25 steps and at each epoch end; the newest ones exist in S3 with the announced sha256.
        List<CheckpointCreated> created = checkpoints.stream().map(CheckpointCreated.class::cast).toList();
        assertThat(created).extracting(CheckpointCreated::step).contains(25L, 38L, 50L, 75L, 76L);
        CheckpointCreated last = created.get(created.size() - 1);
        assertThat(last.step()).isEqualTo(76);
        assertThat(last.checkpointUri()).isEqualTo(outcome.trainer().lastCheckpointUri().orElseThrow());
        assertThat(checkpointDigestsInS3).contains(last.checkpointUri() + "=" + last.sha256());
        assertThat(last.batchOffsets()).isNotEmpty();

        // The evaluator scored the final checkpoint, and the learnable data was learnt (chance is 10%).
        List<EvaluationCompleted> completed = evaluations.stream().filter(EvaluationCompleted.class::isInstance)
            .map(EvaluationCompleted.class::cast).toList();
        EvaluationCompleted finalEval = completed.stream().filter(e -> e.checkpointUri().equals(last.checkpointUri()))
            .findFirst().orElseThrow();
        assertThat(finalEval.checkpointSha256()).isEqualTo(last.sha256());
        assertThat(finalEval.examples()).isEqualTo(300);
        assertThat(finalEval.accuracy()).isGreaterThan(0.3);
        assertThat(finalEval.confusionMatrix().stream().flatMap(List::stream).mapToLong(Long::longValue).sum())
            .isEqualTo(300);
        assertThat(outcome.finalEvaluation().accuracy()).isEqualTo(finalEval.accuracy());

        // Metrics are MLflow-shaped, keyed by run, and report loss; the run has STARTED and FINISHED events.
        assertThat(metrics).isNotEmpty().allSatisfy(m -> assertThat(((TrainingMetrics) m).runId())
            .isEqualTo(outcome.trainer().runId()));
        assertThat(metrics.stream().flatMap(m -> ((TrainingMetrics) m).metrics().stream()).map(r -> r.key())
            .collect(Collectors.toSet())).contains("train.loss", "train.accuracy", "learning_rate", "images_per_second",
            "data_wait_ms", "process.rss.bytes");
        assertThat(runs).extracting(r -> ((RunLifecycle) r).phase()).contains(RunPhase.STARTED, RunPhase.FINISHED);
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("final test accuracy:");
    }

    /** Reads a topic from the beginning to its end, decoding (and so schema-validating) every record. */
    private static <V extends TrainstreamEvent> List<V> readAll(LocalInfrastructure infra, Topic<V> topic,
                                                               EventCodec codec) {
        try {
            return TopicReader.events(infra.kafka().bootstrapServers(), topic, codec, Duration.ofSeconds(30));
        } catch (InvalidEventException e) {
            throw new AssertionError("event violates its schema: " + e.getMessage(), e);
        }
    }
}
