package dev.trainstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trainstream.events.CheckpointCreated;
import dev.trainstream.events.EvaluationCompleted;
import dev.trainstream.events.RunLifecycle;
import dev.trainstream.events.RunPhase;
import dev.trainstream.events.TrainstreamEvent;
import dev.trainstream.events.codec.EventCodec;
import dev.trainstream.events.consume.TopicReader;
import dev.trainstream.events.topics.Topic;
import dev.trainstream.events.topics.Topics;
import dev.trainstream.infra.junit.ChildJvm;
import dev.trainstream.ops.config.ConnectionSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "without Docker" path, each part its own process as a user runs it: {@code trainstream infra}, then
 * {@code evaluator}, {@code ingest} and {@code trainer} against the flags it printed; the trainer is SIGKILLed mid-run
 * and started again, and the run still finishes with every checkpoint scored.
 */
class InfraSeparateProcessesTest {
    private static final Duration LIMIT = Duration.ofSeconds(120);
    private static final EventCodec CODEC = EventCodec.create("/test/infra-processes");
    private static final String RUN = "infra-processes";

    /** Kept when the test fails: each process's log is there. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private List<String> connection;

    @Test
    void givenInfraAndEachServiceInItsOwnProcess_whenTheTrainerIsKilledMidRunAndRestarted_thenTheRunFinishesScored()
        throws Exception {
        try (ChildJvm infra = InfraProcesses.start(dir.resolve("infra.log"),
                 InfraCommandTest.infraArgsOnFreePorts(dir.resolve("work")));
             ChildJvm evaluator = startEvaluator(infra)) {
            // Given one epoch on the topic of a two-epoch run: the trainer cannot finish before it is killed.
            ingestOneEpoch("ingest-1.log");
            try (ChildJvm trainer = trainer("trainer-1.log")) {
                await().atMost(LIMIT).pollInterval(Duration.ofSeconds(1))
                    .until(() -> !checkpoints().isEmpty() || !trainer.alive());
                assertThat(trainer.alive()).as("trainer still running; log:%n%s", trainer.output()).isTrue();

                // When it is killed (no shutdown hook runs), the next epoch arrives meanwhile, and it starts again.
                trainer.process().destroyForcibly();
                assertThat(trainer.awaitExit(LIMIT)).isEqualTo(137);
            }
            assertThat(phases()).as("unfinished run").doesNotContain(RunPhase.FINISHED);
            ingestOneEpoch("ingest-2.log");
            try (ChildJvm restarted = trainer("trainer-2.log")) {
                assertThat(restarted.awaitExit(LIMIT)).as("exit status; log:%n%s", restarted.output()).isZero();
                assertThat(restarted.output()).as("resumed from the first process's checkpoint")
                    .contains("run " + RUN + ": resuming from");
            }

            // Then the run finished after both epochs, and the evaluator scored each checkpoint it announced.
            RunLifecycle finished = events(Topics.RUNS).stream()
                .filter(r -> r.runId().equals(RUN) && r.phase() == RunPhase.FINISHED).findFirst()
                .orElseThrow(() -> new AssertionError("no FINISHED event for " + RUN));
            assertThat(finished.steps()).as("two epochs of 256 images in batches of 32").isEqualTo(16);
            Set<String> written = checkpoints().stream().map(CheckpointCreated::checkpointUri)
                .collect(Collectors.toSet());
            await().atMost(LIMIT).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(scored()).as("evaluator log:%n%s", evaluator.output())
                    .containsAll(written));
            assertThat(checkpoints().stream().mapToLong(CheckpointCreated::step).max().orElse(0))
                .as("final checkpoint").isEqualTo(16);

            evaluator.sigterm();
            infra.sigterm();
            assertThat(evaluator.awaitExit(LIMIT)).as("evaluator exit; log:%n%s", evaluator.output()).isZero();
            assertThat(infra.awaitExit(LIMIT)).as("infra exit; log:%n%s", infra.output()).isZero();
        }
    }

    private ChildJvm startEvaluator(ChildJvm infra) {
        connection = InfraProcesses.awaitFlags(infra, LIMIT);
        return InfraProcesses.start(dir.resolve("evaluator.log"), service("evaluator", "--evaluator-group",
            "infra-processes-evaluator", "--eval-threads", "1", "--eval-device", "cpu"));
    }

    /** Publishes one more epoch of the same small synthetic dataset (the same content: the same dataset id). */
    private void ingestOneEpoch(String log) throws Exception {
        try (ChildJvm ingest = InfraProcesses.start(dir.resolve(log), service("ingest", "--synthetic",
            "--synthetic-train", "256", "--synthetic-test", "64", "--epochs", "1", "--batch-size", "32",
            "--seed", "7", "--cache-dir", dir.resolve("cache").toString()))) {
            assertThat(ingest.awaitExit(LIMIT)).as("ingest exit; log:%n%s", ingest.output()).isZero();
        }
    }

    /** A narrow CPU trainer of two epochs, checkpointing every 4 of its 8 steps per epoch. */
    private ChildJvm trainer(String log) {
        return InfraProcesses.start(dir.resolve(log), service("trainer", "--run-id", RUN, "--train-epochs", "2",
            "--width-multiplier", "0.25", "--threads", "1", "--device", "cpu", "--checkpoint-every-steps", "4",
            "--metrics-every-steps", "2"));
    }

    /** {@code trainstream <command>} with the connection flags infra printed, on a free ops port. */
    private List<String> service(String command, String... more) {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(connection);
        args.addAll(List.of("--http-port", "0", "--grace-seconds", "30"));
        args.addAll(List.of(more));
        return args;
    }

    private List<CheckpointCreated> checkpoints() throws Exception {
        return events(Topics.CHECKPOINTS).stream().filter(c -> c.runId().equals(RUN)).toList();
    }

    private List<RunPhase> phases() throws Exception {
        return events(Topics.RUNS).stream().filter(r -> r.runId().equals(RUN)).map(RunLifecycle::phase).toList();
    }

    private Set<String> scored() throws Exception {
        return events(Topics.EVALUATIONS).stream().filter(EvaluationCompleted.class::isInstance)
            .map(e -> ((EvaluationCompleted) e).checkpointUri()).collect(Collectors.toSet());
    }

    private <V extends TrainstreamEvent> List<V> events(Topic<V> topic) throws Exception {
        String bootstrap = connection.get(connection.indexOf(ConnectionSettings.KAFKA_BOOTSTRAP.flag()) + 1);
        return TopicReader.events(bootstrap, topic, CODEC, Duration.ofSeconds(30));
    }
}
