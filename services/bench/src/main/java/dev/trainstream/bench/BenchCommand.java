package dev.trainstream.bench;

import dev.trainstream.engine.model.Activation;
import dev.trainstream.events.TrainstreamVersion;
import dev.trainstream.trainer.DataPathBench;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code bench} command line: with no subcommand, the engine A/B benchmark (DJL engine loop vs the bare PyTorch
 * eager loop); the other measurements are subcommands. Options are parsed and reported by picocli, so every
 * benchmark names a bad option the same way (exit 2) and lists its options with {@code --help}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false, scope = ScopeType.INHERIT,
    versionProvider = BenchCommand.Version.class,
    description = "DJL engine vs bare PyTorch eager loop, MobileNetV1 alpha=1 CIFAR layout, synthetic 32x32x3, "
        + "alternating A/B rounds; training and evaluation images/s, ratios and RSS.",
    subcommands = {TrainerBench.class, DataPathBench.class, GpuCheck.class, EvalBench.class, IngestBench.class,
        OpProfile.class, AccuracyRun.class, ScoreState.class})
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--rounds", paramLabel = "N", defaultValue = "5",
        description = "Alternating A/B rounds, an odd number (the median is quoted). Default: ${DEFAULT-VALUE}")
    int rounds;

    @Option(names = "--train-batch", paramLabel = "N", defaultValue = "128",
        description = "Training batch. Default: ${DEFAULT-VALUE}")
    int trainBatch;

    @Option(names = "--eval-batch", paramLabel = "N", defaultValue = "256",
        description = "Evaluation batch. Default: ${DEFAULT-VALUE}")
    int evalBatch;

    @Option(names = "--train-steps", paramLabel = "N", defaultValue = "10",
        description = "Timed training steps per round and framework. Default: ${DEFAULT-VALUE}")
    int trainSteps;

    @Option(names = "--eval-steps", paramLabel = "N", defaultValue = "8",
        description = "Timed evaluation batches per round and framework. Default: ${DEFAULT-VALUE}")
    int evalSteps;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "3",
        description = "Untimed steps before each timed loop. Default: ${DEFAULT-VALUE}")
    int warmup;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "2",
        description = "Intra-op threads for both frameworks. Default: ${DEFAULT-VALUE}")
    int threads;

    @Option(names = "--activation", paramLabel = "A", defaultValue = "RELU",
        description = "relu (the paper) or relu6. Default: relu")
    Activation activation;

    @Option(names = "--long", paramLabel = "N", defaultValue = "0",
        description = "Then N DJL training steps printing RSS (memory flatness; 0 = skip). Default: ${DEFAULT-VALUE}")
    int longSteps;

    @Option(names = "--rss-every", paramLabel = "N", defaultValue = "100",
        description = "RSS print interval in the long run. Default: ${DEFAULT-VALUE}")
    int rssEvery;

    @Option(names = "--python", paramLabel = "PATH", defaultValue = "/usr/bin/python3",
        description = "Interpreter for the peer (Debian's python3-torch). Default: ${DEFAULT-VALUE}")
    String python;

    @Option(names = "--peer", paramLabel = "PATH", defaultValue = "bench/pytorch_peer.py",
        description = "Peer script, relative to the repository root. Default: ${DEFAULT-VALUE}")
    Path peer;

    @Option(names = "--device", paramLabel = "D", defaultValue = "CPU",
        description = "cpu, or gpu (GPU 0) for both frameworks: the DJL engine and the peer (torch cuda:0). "
            + "Default: cpu")
    BenchDevice device;

    /** The validated settings these options give. */
    BenchOptions options() {
        return new BenchOptions(rounds, trainBatch, evalBatch, trainSteps, evalSteps, warmup, threads, activation,
            longSteps, rssEvery, python, peer, device);
    }

    @Override
    public Integer call() throws Exception {
        BenchMain.run(options());
        return 0;
    }

    /**
     * The command line, with bad values found while running (a validated setting, a missing file) reported like
     * parse errors: the message on stderr and exit 2. Any other failure prints its stack trace and exits 1.
     */
    static CommandLine commandLine() {
        CommandLine line = new CommandLine(new BenchCommand()).setCaseInsensitiveEnumValuesAllowed(true);
        line.setExecutionExceptionHandler((e, failed, parsed) -> {
            if (e instanceof IllegalArgumentException) {
                failed.getErr().println(failed.getCommandName() + ": " + e.getMessage());
                failed.getErr().println("Try '" + failed.getCommandSpec().qualifiedName() + " --help' for the options.");
                return 2;
            }
            failed.getErr().println(failed.getCommandName() + " failed: " + e);
            e.printStackTrace(failed.getErr());
            return 1;
        });
        return line;
    }

    /** The build's version for {@code -V} on this command and, through {@code scope = INHERIT}, every subcommand. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"trainstream bench " + TrainstreamVersion.current()};
        }
    }
}
