package dev.trainstream.bench;

import dev.trainstream.engine.runtime.AllocatorTuning;
import dev.trainstream.engine.training.TrainingConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The accuracy run's PyTorch peer ({@code bench/pytorch_accuracy.py}) given exactly the recipe the DJL run resolved,
 * so one {@code accuracy --peer} command prints both final accuracies and their ratio. The peer gets the allocator
 * settings trainstream ships (its speed is not what is compared here, and it shares the machine's time budget).
 */
final class AccuracyPeer {
    private final String python;
    private final Path script;

    AccuracyPeer(String python, Path script) {
        if (python == null || python.isBlank() || script == null) {
            throw new IllegalArgumentException("python and script must be set");
        }
        this.python = python;
        this.script = script;
    }

    /** The peer's command line for {@code config}, {@code epochs} epochs of {@code stepsPerEpoch} steps. */
    List<String> command(TrainingConfig config, Path data, int epochs, int stepsPerEpoch, int maxSteps, int threads,
                         Path out) {
        List<String> command = new ArrayList<>(List.of(python, script.toString(),
            "--data", data.toString(), "--epochs", Integer.toString(epochs), "--threads", Integer.toString(threads),
            "--out", out.toString(), "--batch", Integer.toString(config.batchSize()),
            "--seed", Long.toString(config.seed()),
            "--lr", Double.toString(config.learningRate()),
            "--warmup-epochs", Double.toString((double) config.warmupSteps() / stepsPerEpoch),
            "--weight-decay", Double.toString(config.weightDecay()),
            "--decay-policy", config.decayPolicy().name().toLowerCase(Locale.ROOT),
            "--label-smoothing", Double.toString(config.labelSmoothing())));
        if (maxSteps != Integer.MAX_VALUE) {
            command.addAll(List.of("--max-steps", Integer.toString(maxSteps)));
        }
        return command;
    }

    /** Runs the peer with its output on this process's, and returns its final test accuracy (from its curve.csv). */
    double run(List<String> command, Path out) throws IOException, InterruptedException {
        System.out.println("peer: " + String.join(" ", command));
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().put(AllocatorTuning.VARIABLE, AllocatorTuning.RECOMMENDED);
        int exit = builder.start().waitFor();
        if (exit != 0) {
            throw new IOException("pytorch accuracy peer exited with " + exit + ": " + String.join(" ", command));
        }
        return finalTestAccuracy(out.resolve("curve.csv"));
    }

    /** The test_accuracy column of the last row of a curve.csv (the peer writes the DJL run's columns). */
    static double finalTestAccuracy(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        if (lines.size() < 2) {
            throw new IOException(csv + " has no epoch rows");
        }
        List<String> header = List.of(lines.get(0).split(","));
        int column = header.indexOf("test_accuracy");
        String[] last = lines.get(lines.size() - 1).split(",");
        if (column < 0 || column >= last.length) {
            throw new IOException(csv + " has no test_accuracy column in its last row");
        }
        try {
            return Double.parseDouble(last[column]);
        } catch (NumberFormatException e) {
            throw new IOException(csv + ": test_accuracy of the last row is not a number: " + last[column], e);
        }
    }
}
