package dev.trainstream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainstream.engine.data.LabeledImages;
import dev.trainstream.engine.evaluation.CheckpointScorer;
import dev.trainstream.engine.evaluation.EvaluationReport;
import dev.trainstream.engine.model.ModelOptions;
import dev.trainstream.engine.training.EngineOptions;
import dev.trainstream.engine.training.TrainingConfig;
import dev.trainstream.engine.training.TrainingSession;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Evaluator benchmark: scoring the real CIFAR-10 test split (10,000 images) the way the evaluator does — a checkpoint
 * loaded by {@link CheckpointScorer}, batches of uint8 images normalised and scored in inference mode — against the bare
 * PyTorch eval loop over the same images in the same run, alternating order per round.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
    description = "The evaluator's checkpoint scoring of the real CIFAR-10 test split vs the bare PyTorch eval loop.")
final class EvalBench implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--data", paramLabel = "FILE", defaultValue = "../shared/datasets/cifar10-jpeg.tar.gz",
        description = "CIFAR-10 JPEG archive (its test split is scored). Default: ${DEFAULT-VALUE}")
    Path archive;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "5",
        description = "Alternating rounds, an odd number (the median is quoted). Default: ${DEFAULT-VALUE}")
    int rounds;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "2",
        description = "Intra-op threads for both sides. Default: ${DEFAULT-VALUE}")
    int threads;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "256",
        description = "Evaluation batch. Default: ${DEFAULT-VALUE}")
    int batch;

    @Override
    public Integer call() throws Exception {
        RoundStatistics.requireOdd(rounds);
        BenchOptions.positive("threads", threads);
        BenchOptions.positive("batch", batch);
        if (!Files.isRegularFile(archive)) {
            throw new IllegalArgumentException("--data " + archive.toAbsolutePath() + ": no such file");
        }
        LabeledImages test = CifarJpegArchive.load(archive).test();
        Path data = Files.createTempFile("trainstream-eval-bench", "");
        Files.write(Path.of(data + ".pixels"), test.pixels());
        byte[] labels = new byte[test.count()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (byte) test.labels()[i];
        }
        Files.write(Path.of(data + ".labels"), labels);
        System.out.printf(Locale.ROOT, "evaluator benchmark: %d real CIFAR-10 test images, batch %d, %d threads, %d rounds%n",
            test.count(), batch, threads, rounds);

        EngineOptions engine = EngineOptions.cpu(threads);
        byte[] checkpoint;
        try (TrainingSession session = TrainingSession.create(ModelOptions.builder().build(),
            TrainingConfig.builder().setTotalSteps(1).build(), engine)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            session.save(out);
            checkpoint = out.toByteArray();
        }
        List<Double> ratios = new ArrayList<>();
        try (CheckpointScorer scorer = CheckpointScorer.load(new ByteArrayInputStream(checkpoint), engine)) {
            scorer.evaluate(batches(test, batch), 10); // warm-up pass
            for (int round = 1; round <= rounds; round++) {
                double peer = 0;
                double djl = 0;
                for (int order = 0; order < 2; order++) {
                    boolean peerTurn = (order == 0) == (round % 2 == 1);
                    if (peerTurn) {
                        peer = pytorch(data, batch, threads);
                    } else {
                        long start = System.nanoTime();
                        EvaluationReport report = scorer.evaluate(batches(test, batch), 10);
                        djl = report.examples() / ((System.nanoTime() - start) / 1e9);
                    }
                }
                ratios.add(djl / peer);
                System.out.printf(Locale.ROOT, "round %d: PyTorch eval loop %.1f img/s | evaluator path (DJL) %.1f img/s"
                    + " | DJL/PyTorch = %.2fx%n", round, peer, djl, djl / peer);
            }
        } finally {
            Files.deleteIfExists(Path.of(data + ".pixels"));
            Files.deleteIfExists(Path.of(data + ".labels"));
            Files.deleteIfExists(data);
        }
        System.out.println("DJL/PyTorch evaluation throughput: "
            + RoundStatistics.of(ratios.stream().mapToDouble(Double::doubleValue).toArray()).ratioLine()
            + " (target >= 1.0x)");
        return 0;
    }

    private static double pytorch(Path data, int batch, int threads) throws Exception {
        List<String> command = List.of("/usr/bin/python3", "bench/pytorch_peer.py", "--mode", "eval", "--data",
            data.toString(), "--batch", Integer.toString(batch), "--threads", Integer.toString(threads), "--warmup", "1");
        Process process = new ProcessBuilder(command).directory(repositoryRoot().toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException("pytorch peer failed: " + String.join(" ", command) + "\n" + output);
        }
        JsonNode json = JSON.readTree(output.strip().lines().reduce((a, b) -> b).orElse("{}"));
        return json.path("images_per_sec").asDouble();
    }

    /** The repository root (where bench/pytorch_peer.py lives), from the module or the root directory. */
    private static Path repositoryRoot() {
        Path here = Path.of("").toAbsolutePath();
        return Files.exists(here.resolve("bench/pytorch_peer.py")) ? here : here.getParent().getParent();
    }

    private static Iterator<LabeledImages> batches(LabeledImages all, int batch) {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < all.count();
            }

            @Override
            public LabeledImages next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int to = Math.min(all.count(), next + batch);
                LabeledImages slice = all.slice(next, to);
                next = to;
                return slice;
            }
        };
    }
}
