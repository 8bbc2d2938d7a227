package dev.trainstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line: help shows configuration with env names and defaults; bad input exits non-zero, named. */
class CommandLineTest {
    @TempDir
    Path dir;

    @Test
    void givenHelp_whenPrinted_thenSubcommandsAndEnvironmentVariablesAndDefaultsAreListed() {
        StringWriter out = new StringWriter();
        CommandLine cli = TrainstreamCommand.commandLine();
        cli.setOut(new PrintWriter(out));
        assertThat(cli.execute("--help")).isZero();
        assertThat(out.toString()).contains("up", "ingest", "trainer", "evaluator", "summary", "doctor");

        StringWriter trainerHelp = new StringWriter();
        CommandLine trainer = TrainstreamCommand.commandLine().getSubcommands().get("trainer");
        trainer.setOut(new PrintWriter(trainerHelp));
        trainer.usage(new PrintWriter(trainerHelp));
        assertThat(trainerHelp.toString()).contains("TRAINSTREAM_KAFKA_BOOTSTRAP", "TRAINSTREAM_S3_ENDPOINT",
            "TRAINSTREAM_RUN_ID", "127.0.0.1:9092");
    }

    @Test
    void givenVersionFlag_whenAskedOfTheCommandOrAnySubcommand_thenEachPrintsTheBuiltVersion() {
        String expected = "trainstream " + System.getProperty("trainstream.project.version");
        CommandLine cli = TrainstreamCommand.commandLine();
        assertThat(cli.getSubcommands()).containsKeys("up", "ingest", "trainer", "evaluator", "status");
        for (String command : cli.getSubcommands().keySet()) {
            if (command.equals("help")) {
                continue;
            }
            StringWriter out = new StringWriter();
            CommandLine fresh = TrainstreamCommand.commandLine();
            fresh.setOut(new PrintWriter(out));
            assertThat(fresh.execute(command, "-V")).as(command).isZero();
            assertThat(out.toString().trim()).as("trainstream %s -V", command).isEqualTo(expected);
        }
        StringWriter top = new StringWriter();
        CommandLine fresh = TrainstreamCommand.commandLine();
        fresh.setOut(new PrintWriter(top));
        assertThat(fresh.execute("--version")).isZero();
        assertThat(top.toString().trim()).isEqualTo(expected);
    }

    @Test
    void givenCatalog_whenAsked_thenEachServiceListsTheVariablesItsOptionsRead() {
        Map<String, Set<String>> env = ConfigurationCatalog.environmentBySubcommand();
        assertThat(env.get("ingest")).contains("TRAINSTREAM_KAFKA_BOOTSTRAP", "TRAINSTREAM_S3_SECRET_KEY",
            "TRAINSTREAM_DATASET", "TRAINSTREAM_SYNTHETIC", "TRAINSTREAM_EPOCHS");
        assertThat(env.get("trainer")).contains("TRAINSTREAM_RUN_ID", "TRAINSTREAM_DEVICE", "TRAINSTREAM_THREADS",
            "TRAINSTREAM_CHECKPOINT_EVERY_STEPS").doesNotContain("TRAINSTREAM_DATASET");
        assertThat(env.get("evaluator")).contains("TRAINSTREAM_GATE_MIN_ACCURACY", "TRAINSTREAM_EVAL_TTA",
            "TRAINSTREAM_HTTP_PORT");
    }

    @Test
    void givenMissingDataset_whenIngesting_thenExitCode2AndTheMessageNamesThePath() {
        StringWriter err = new StringWriter();
        CommandLine cli = TrainstreamCommand.commandLine();
        cli.setErr(new PrintWriter(err));
        Path missing = dir.resolve("no-such-cifar.tar.gz");
        int rc = cli.execute("ingest", "--dataset", missing.toString(), "--s3-access-key", "k", "--s3-secret-key", "s",
            "--http-port", "0", "--kafka-bootstrap", "127.0.0.1:1");
        assertThat(rc).isEqualTo(TrainstreamCommand.EXIT_BAD_INPUT);
        assertThat(err.toString()).contains("no-such-cifar.tar.gz");
    }

    @Test
    void givenNoS3Credentials_whenStartingAService_thenClearErrorNamingTheSettings() {
        StringWriter err = new StringWriter();
        CommandLine cli = TrainstreamCommand.commandLine();
        cli.setErr(new PrintWriter(err));
        int rc = cli.execute("evaluator", "--http-port", "0");
        assertThat(rc).isEqualTo(TrainstreamCommand.EXIT_BAD_INPUT);
        assertThat(err.toString()).contains("TRAINSTREAM_S3_ACCESS_KEY");
    }

    @Test
    void givenUnknownTestTimeAugmentation_whenStartingTheEvaluator_thenExitCode2NamingTheChoicesBeforeAnythingStarts() {
        StringWriter err = new StringWriter();
        CommandLine cli = TrainstreamCommand.commandLine();
        cli.setErr(new PrintWriter(err));
        int rc = cli.execute("evaluator", "--http-port", "0", "--s3-access-key", "k", "--s3-secret-key", "s",
            "--kafka-bootstrap", "127.0.0.1:1", "--eval-tta", "vflip");
        assertThat(rc).isEqualTo(TrainstreamCommand.EXIT_BAD_INPUT);
        assertThat(err.toString()).contains("--eval-tta (TRAINSTREAM_EVAL_TTA)").contains("[none, hflip]")
            .contains("'vflip'");
    }
}
