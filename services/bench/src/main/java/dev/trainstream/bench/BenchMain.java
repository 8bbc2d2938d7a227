package dev.trainstream.bench;

import dev.trainstream.engine.model.Activation;
import dev.trainstream.engine.runtime.AllocatorTuning;
import dev.trainstream.engine.runtime.EngineInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * One benchmark run: alternating A/B rounds of the bare PyTorch eager loop (python peer) and the DJL engine loop,
 * training (batch 128) and evaluation (batch 256), then the ratios of the medians and, optionally, a long DJL run
 * that prints RSS to show memory stays flat.
 */
public final class BenchMain {

    private BenchMain() {}

    /** Entry point ({@link BenchCommand}): exit code 2 for bad arguments, 1 for a failed run. */
    public static void main(String[] args) {
        System.exit(BenchCommand.commandLine().execute(args));
    }

    /** Runs the engine A/B benchmark and prints results to stdout. */
    static void run(BenchOptions options) throws Exception {
        System.out.println("doctor: " + EngineInfo.describe(options.device().engine(options.threads())));
        System.out.printf(Locale.ROOT, "model: MobileNetV1 alpha=1 CIFAR layout (stem stride 1) %s, synthetic"
                + " 32x32x3, SGD nesterov momentum 0.9 wd 5e-4; rounds=%d threads=%d%n",
                options.activation(), options.rounds(), options.threads());
        System.out.printf(Locale.ROOT, "device: %s for both (djl %s, peer torch.device(\"%s\"))%n",
                options.device(), options.device().choice().spelling(), options.device().torchName());
        System.out.printf(Locale.ROOT, "allocator: djl runs with malloc=%s (%s=%s); the peer runs as a user runs it"
                + " (glibc defaults)%s%n", AllocatorTuning.current(), AllocatorTuning.VARIABLE,
                System.getenv(AllocatorTuning.VARIABLE), options.device() == BenchDevice.CPU
                        ? " and, as \"pytorch+malloc\", with the same tunables as trainstream"
                        : " only (the tensors live on the GPU)");
        PytorchPeer peer = new PytorchPeer(options.python(), options.peer(), options.device());
        // null = glibc defaults; the second run gives the peer the allocator settings trainstream ships with. On a GPU
        // the tensors live in the CUDA caching allocator, so only the peer as a user runs it is measured there.
        List<String> peerAllocators = options.device() == BenchDevice.CPU
                ? Arrays.asList(null, AllocatorTuning.RECOMMENDED) : Collections.singletonList(null);
        boolean relu6 = options.activation() == Activation.RELU6;
        List<BenchResult> results = new ArrayList<>();
        try (DjlLoop djl = new DjlLoop(options.trainBatch(), options.activation(),
                options.device().engine(options.threads()))) {
            for (int round = 1; round <= options.rounds(); round++) {
                System.out.printf(Locale.ROOT, "round %d/%d (loadavg %s)%n", round, options.rounds(),
                        ProcessMemory.loadAverage());
                boolean pytorchFirst = round % 2 == 1;
                for (int slot = 0; slot < 2; slot++) {
                    if ((slot == 0) == pytorchFirst) {
                        for (String tunables : peerAllocators) {
                            record(results, peer.run("train", options.trainBatch(), options.trainSteps(),
                                    options.warmup(), options.threads(), relu6, tunables));
                            record(results, peer.run("eval", options.evalBatch(), options.evalSteps(),
                                    1, options.threads(), relu6, tunables));
                        }
                    } else {
                        record(results, djl.train(options.trainSteps(), options.warmup(), step -> { }));
                        record(results, djl.evaluate(options.evalBatch(), options.evalSteps(), 1));
                    }
                }
            }
            printRatios(results);
            if (options.longSteps() > 0) {
                longRun(djl, options);
            }
        }
    }

    private static void record(List<BenchResult> results, BenchResult result) {
        results.add(result);
        System.out.println("  " + result.line());
    }

    private static void printRatios(List<BenchResult> results) {
        for (String peer : List.of("pytorch", "pytorch+malloc")) {
            if (results.stream().noneMatch(r -> r.framework().equals(peer))) {
                continue;
            }
            for (String mode : List.of("train", "eval")) {
                double djl = median(results, "djl", mode, BenchResult::imagesPerSecond);
                double torch = median(results, peer, mode, BenchResult::imagesPerSecond);
                double djlCpu = median(results, "djl", mode, BenchResult::cpuMsPerStep);
                double torchCpu = median(results, peer, mode, BenchResult::cpuMsPerStep);
                // Rounds alternate A and B, so the i-th DJL and the i-th peer figure are a pair measured side by side.
                double[] djlRounds = values(results, "djl", mode);
                double[] peerRounds = values(results, peer, mode);
                double[] ratios = new double[Math.min(djlRounds.length, peerRounds.length)];
                for (int i = 0; i < ratios.length; i++) {
                    ratios[i] = djlRounds[i] / peerRounds[i];
                }
                System.out.printf(Locale.ROOT, "%s: median djl %.1f img/s, %s %.1f img/s, djl/%s per round = %s"
                        + " (by CPU time per step: %.3fx)%n", mode, djl, peer, torch, peer,
                        RoundStatistics.of(ratios).ratioLine(), torchCpu / djlCpu);
            }
        }
    }

    private static double median(List<BenchResult> results, String framework, String mode,
            ToDoubleFunction<BenchResult> metric) {
        double[] values = results.stream().filter(r -> r.framework().equals(framework) && r.mode().equals(mode))
                .mapToDouble(metric).sorted().toArray();
        return values[values.length / 2];
    }

    /** One framework's images/s per round, in round order. */
    private static double[] values(List<BenchResult> results, String framework, String mode) {
        return results.stream().filter(r -> r.framework().equals(framework) && r.mode().equals(mode))
                .mapToDouble(BenchResult::imagesPerSecond).toArray();
    }

    private static void longRun(DjlLoop djl, BenchOptions options) {
        System.out.printf(Locale.ROOT, "long run: %d DJL training steps, RSS every %d%n",
                options.longSteps(), options.rssEvery());
        double[] first = {Double.NaN};
        double[] last = {Double.NaN};
        BenchResult result = djl.train(options.longSteps(), 0, step -> {
            if (step % options.rssEvery() == 0) {
                double rss = ProcessMemory.rssMb();
                if (Double.isNaN(first[0])) {
                    first[0] = rss;
                }
                last[0] = rss;
                System.out.printf(Locale.ROOT, "  step %5d rss=%7.1f MB%n", step, rss);
            }
        });
        System.out.println("  " + result.line());
        System.out.printf(Locale.ROOT, "long run: RSS %.1f MB at step %d -> %.1f MB at step %d (%+.1f MB)%n",
                first[0], options.rssEvery(), last[0], options.longSteps(), last[0] - first[0]);
    }
}
