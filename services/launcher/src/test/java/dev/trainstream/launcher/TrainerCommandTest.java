package dev.trainstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainstream.events.CheckpointCreated;
import dev.trainstream.events.RunLifecycle;
import dev.trainstream.events.RunPhase;
import dev.trainstream.events.TrainstreamEvent;
import dev.trainstream.events.codec.EventCodec;
import dev.trainstream.events.codec.InvalidEventException;
import dev.trainstream.events.consume.TopicReader;
import dev.trainstream.events.topics.Topic;
import dev.trainstream.events.topics.Topics;
import dev.trainstream.infra.LocalInfrastructure;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

/**
 * {@code trainstream trainer} as a Kubernetes Job or a compose restart runs it: started again for a run that already
 * finished, the command exits 0 at once (the Job stays Complete) and publishes nothing.
 */
@ExtendWith(SharedInfrastructure.class)
class TrainerCommandTest {
    static LocalInfrastructure infra;

    @BeforeAll
    static void start(LocalInfrastructure shared) {
        infra = shared;
    }

    @Test
    void givenARunThatFinished_whenTheTrainerCommandStartsAgainWithItsRunId_thenItExits0WithoutPublishingAnything() {
        String datasetId = ingestOneEpoch();
        String runId = "finished-cli-run";

        int first = trainer(runId, datasetId);
        List<CheckpointCreated> checkpoints = events(Topics.CHECKPOINTS).stream()
            .filter(c -> c.runId().equals(runId)).toList();
        int again = trainer(runId, datasetId);

        assertThat(first).isZero();
        assertThat(again).as("the restarted trainer of a finished run").isZero();
        assertThat(events(Topics.RUNS).stream().filter(r -> r.runId().equals(runId))).extracting(RunLifecycle::phase)
            .containsExactly(RunPhase.STARTED, RunPhase.FINISHED);
        assertThat(events(Topics.CHECKPOINTS).stream().filter(c -> c.runId().equals(runId)))
            .containsExactlyElementsOf(checkpoints);
    }

    private static String ingestOneEpoch() {
        StringWriter out = new StringWriter();
        CommandLine cli = TrainstreamCommand.commandLine();
        cli.setOut(new PrintWriter(out));
        int rc = cli.execute(connection("ingest", "--synthetic", "--synthetic-train", "64", "--synthetic-test", "16",
            "--epochs", "1", "--batch-size", "32", "--seed", "51").toArray(String[]::new));
        assertThat(rc).as("ingest: %s", out).isZero();
        Matcher id = Pattern.compile("dataset (ds-[0-9a-f]+):").matcher(out.toString());
        assertThat(id.find()).as("summary names the dataset: %s", out).isTrue();
        return id.group(1);
    }

    private static int trainer(String runId, String datasetId) {
        return TrainstreamCommand.commandLine().execute(connection("trainer", "--run-id", runId, "--dataset-id", datasetId,
            "--train-epochs", "1", "--width-multiplier", "0.25", "--threads", "1", "--device", "cpu")
            .toArray(String[]::new));
    }

    private static List<String> connection(String command, String... more) {
        List<String> args = new ArrayList<>(List.of(command, "--kafka-bootstrap", infra.kafka().bootstrapServers(),
            "--s3-endpoint", infra.s3().endpoint().toString(), "--s3-access-key", infra.s3().accessKey(),
            "--s3-secret-key", infra.s3().secretKey(), "--http-port", "0"));
        args.addAll(List.of(more));
        return args;
    }

    private static <V extends TrainstreamEvent> List<V> events(Topic<V> topic) {
        try {
            return TopicReader.events(infra.kafka().bootstrapServers(), topic, EventCodec.create("/test/trainer-command"),
                Duration.ofSeconds(30));
        } catch (InvalidEventException e) {
            throw new AssertionError("event on " + topic.name() + " violates its schema: " + e.getMessage(), e);
        }
    }
}
