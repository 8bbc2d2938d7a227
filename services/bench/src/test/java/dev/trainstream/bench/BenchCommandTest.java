package dev.trainstream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.trainstream.engine.model.Activation;
import dev.trainstream.engine.runtime.EngineRuntime;
import dev.trainstream.engine.training.EngineOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The bench command line: the issue's defaults, overrides, and for every subcommand a bad option or value answered
 * with exit 2 and a message naming it, before anything is measured.
 */
class BenchCommandTest {

    private static BenchOptions parse(String... args) {
        CommandLine line = BenchCommand.commandLine();
        line.parseArgs(args);
        return line.<BenchCommand>getCommand().options();
    }

    /** Exit code and stderr of a run of the command line. */
    private record Result(int code, String err, String out) {
    }

    private static Result execute(String... args) {
        CommandLine line = BenchCommand.commandLine();
        StringWriter err = new StringWriter();
        StringWriter out = new StringWriter();
        line.setErr(new PrintWriter(err, true));
        line.setOut(new PrintWriter(out, true));
        int code = line.execute(args);
        return new Result(code, err.toString(), out.toString());
    }

    @Test
    void givenNoArguments_whenParsed_thenIssueDefaults() {
        BenchOptions options = parse();

        assertThat(options.rounds()).isEqualTo(RoundStatistics.DEFAULT_ROUNDS);
        assertThat(options.trainBatch()).isEqualTo(128);
        assertThat(options.evalBatch()).isEqualTo(256);
        assertThat(options.threads()).isEqualTo(2);
        assertThat(options.activation()).isEqualTo(Activation.RELU);
        assertThat(options.python()).isEqualTo("/usr/bin/python3");
        assertThat(options.peer()).isEqualTo(Path.of("bench", "pytorch_peer.py"));
    }

    @Test
    void givenOverrides_whenParsed_thenApplied() {
        BenchOptions options = parse("--rounds", "7", "--activation", "relu6", "--long", "1000");

        assertThat(options.rounds()).isEqualTo(7);
        assertThat(options.activation()).isEqualTo(Activation.RELU6);
        assertThat(options.longSteps()).isEqualTo(1000);
    }

    @Test
    void givenBadValues_whenValidated_thenTheErrorNamesTheOption() {
        assertThatThrownBy(() -> parse("--rounds", "0")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("--rounds");
        assertThatThrownBy(() -> parse("--rounds", "4")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("--rounds must be an odd number");
        assertThatThrownBy(() -> parse("--long", "-1")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("--long");
    }

    @Test
    void givenMalformedArguments_whenRun_thenExit2NamingTheOption() {
        assertThat(execute("--threads", "two")).satisfies(r -> {
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err()).contains("--threads", "two");
        });
        assertThat(execute("--bogus", "1")).satisfies(r -> {
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err()).contains("--bogus");
        });
        assertThat(execute("--rounds")).satisfies(r -> {
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err()).contains("--rounds");
        });
        assertThat(execute("--rounds", "0").code()).as("a value the settings refuse").isEqualTo(2);
    }

    @Test
    void givenEachSubcommandWithABadValue_whenRun_thenExit2NamingItBeforeMeasuringAnything() {
        assertThat(execute("accuracy", "--data", "no-such.tar.gz")).satisfies(r -> {
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err()).contains("accuracy: --data", "no-such.tar.gz", "no such file");
        });
        assertThat(execute("accuracy", "--decay-policy", "sometimes")).satisfies(r -> {
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err()).contains("--decay-policy", "sometimes", "PAPER");
        });
        assertThat(execute("eval", "--data", "no-such.tar.gz").err()).contains("eval: --data");
        assertThat(execute("trainer", "--warmup", "0")).satisfies(r -> {
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err()).contains("--warmup");
        });
        assertThat(execute("ingest", "--parallel", "0").err()).contains("--parallel must be > 0");
        assertThat(execute("profile", "--top", "x").code()).isEqualTo(2);
        assertThat(execute("score", "--state", "no-such.zip")).satisfies(r -> {
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err()).contains("score: ", "no-such.zip", "no such file");
        });
        assertThat(execute("score").err()).contains("--state");
    }

    @Test
    void givenNoGpu_whenTheAbOrTrainerBenchAsksForOne_thenExit2NamingItBeforeMeasuringAnything() {
        assumeTrue(EngineRuntime.configure(EngineOptions.cpu(1)).getGpuCount() == 0, "this machine has a GPU");

        for (String[] args : List.of(new String[] {"--device", "gpu", "--rounds", "1"},
                new String[] {"trainer", "--device", "gpu", "--rounds", "1"})) {
            Result result = execute(args);
            assertThat(result.code()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(result.err()).contains("GPU 0", "0 GPU(s)");
            assertThat(result.out()).doesNotContain("round 1");
        }
        assertThat(parse("--device", "gpu").device()).isEqualTo(BenchDevice.GPU);
        assertThat(parse().device()).isEqualTo(BenchDevice.CPU);
    }

    @Test
    void givenHelp_whenPrinted_thenEverySubcommandIsListedWithExit0() {
        Result help = execute("--help");

        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("trainer", "eval", "ingest", "profile", "accuracy", "score", "gpucheck",
            "--train-batch", "--device");
        assertThat(execute("accuracy", "--help").out()).contains("--lr", "--decay-policy", "--peer");
    }

    @Test
    void givenVersionFlag_whenAskedOfBenchOrAnySubcommand_thenEachPrintsTheBuiltVersion() {
        String expected = "trainstream bench " + System.getProperty("trainstream.project.version");
        for (String command : new String[] {"trainer", "eval", "ingest", "profile", "accuracy", "score"}) {
            Result version = execute(command, "-V");
            assertThat(version.code()).as(command).isZero();
            assertThat(version.out().trim()).as("bench %s -V", command).isEqualTo(expected);
        }
        assertThat(execute("--version").out().trim()).isEqualTo(expected);
    }
}
