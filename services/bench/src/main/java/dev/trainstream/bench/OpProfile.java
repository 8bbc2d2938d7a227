package dev.trainstream.bench;

import ai.djl.pytorch.jni.JniUtils;
import dev.trainstream.engine.model.Activation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Where a training step's time goes, op by op: records the same number of steps of the DJL engine loop and of the
 * PyTorch peer with libtorch's profiler and prints both frameworks' self time per operator side by side.
 */
@Command(name = "profile", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Self time per operator of a training step, DJL engine loop vs the PyTorch peer (libtorch profiler).")
final class OpProfile implements Callable<Integer> {

    @Option(names = "--threads", paramLabel = "N", defaultValue = "2",
        description = "Intra-op threads for both frameworks. Default: ${DEFAULT-VALUE}")
    int threads;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "3",
        description = "Profiled steps per framework. Default: ${DEFAULT-VALUE}")
    int steps;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "3",
        description = "Steps before profiling starts. Default: ${DEFAULT-VALUE}")
    int warmup;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "128",
        description = "Training batch. Default: ${DEFAULT-VALUE}")
    int batch;

    @Option(names = "--top", paramLabel = "N", defaultValue = "30",
        description = "Ops printed, costliest first. Default: ${DEFAULT-VALUE}")
    int top;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "target/profile",
        description = "Where both traces are written. Default: ${DEFAULT-VALUE}")
    Path out;

    @Override
    public Integer call() throws Exception {
        BenchOptions.positive("threads", threads);
        BenchOptions.positive("steps", steps);
        BenchOptions.positive("batch", batch);
        BenchOptions.positive("top", top);
        Files.createDirectories(out);
        Path djlTrace = out.resolve("djl-trace.json").toAbsolutePath();
        Path torchTrace = out.resolve("pytorch-trace.json").toAbsolutePath();
        try (DjlLoop djl = new DjlLoop(batch, threads, Activation.RELU)) {
            djl.train(warmup, 0, step -> { });
            JniUtils.startProfile(false, false, false);
            BenchResult timed = djl.train(steps, 0, step -> { });
            JniUtils.stopProfile(djlTrace.toString());
            System.out.println("  " + timed.line());
        }
        Process peer = new ProcessBuilder("/usr/bin/python3", "bench/pytorch_peer.py", "--mode", "train", "--batch",
                Integer.toString(batch), "--steps", Integer.toString(steps), "--warmup", Integer.toString(warmup),
                "--threads", Integer.toString(threads), "--profile", torchTrace.toString()).inheritIO().start();
        if (!peer.waitFor(10, TimeUnit.MINUTES)) {
            peer.destroyForcibly();
            throw new IllegalStateException("pytorch peer did not finish its profiled steps within 10 minutes");
        }
        if (peer.exitValue() != 0) {
            throw new IllegalStateException("pytorch peer failed (exit " + peer.exitValue() + ")");
        }
        print(TraceSummary.read(djlTrace), TraceSummary.read(torchTrace), steps, top);
        return 0;
    }

    private static void print(TraceSummary djl, TraceSummary torch, int steps, int top) {
        Set<String> names = new HashSet<>(djl.selfMicros().keySet());
        names.addAll(torch.selfMicros().keySet());
        List<String> sorted = new ArrayList<>(names);
        sorted.sort((a, b) -> Double.compare(cost(b, djl, torch), cost(a, djl, torch)));
        System.out.printf(Locale.ROOT, "self time per step (ms), %d profiled steps%n", steps);
        System.out.printf(Locale.ROOT, "%-48s %10s %6s %10s %6s %9s%n", "op", "djl", "calls", "pytorch", "calls",
                "djl-torch");
        for (String name : sorted.subList(0, Math.min(top, sorted.size()))) {
            double d = djl.selfMicros().getOrDefault(name, 0.0) / 1000 / steps;
            double t = torch.selfMicros().getOrDefault(name, 0.0) / 1000 / steps;
            System.out.printf(Locale.ROOT, "%-48s %10.1f %6d %10.1f %6d %+9.1f%n", name, d, djl.calls(name) / steps,
                    t, torch.calls(name) / steps, d - t);
        }
        System.out.printf(Locale.ROOT, "%-48s %10.1f %6s %10.1f%n", "total (all ops)", djl.totalMicros() / 1000 / steps,
                "", torch.totalMicros() / 1000 / steps);
    }

    private static double cost(String name, TraceSummary djl, TraceSummary torch) {
        return Math.max(djl.selfMicros().getOrDefault(name, 0.0), torch.selfMicros().getOrDefault(name, 0.0));
    }
}
