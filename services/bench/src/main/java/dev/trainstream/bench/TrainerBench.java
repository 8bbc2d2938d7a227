package dev.trainstream.bench;

import dev.trainstream.engine.data.LabeledImages;
import dev.trainstream.engine.data.PreparedBatch;
import dev.trainstream.engine.model.Activation;
import dev.trainstream.engine.model.ModelOptions;
import dev.trainstream.engine.runtime.EngineRuntime;
import dev.trainstream.engine.training.OptimizerKind;
import dev.trainstream.engine.training.TrainingConfig;
import dev.trainstream.engine.training.TrainingSession;
import dev.trainstream.infra.LocalInfrastructure;
import dev.trainstream.ingest.IngestConfig;
import dev.trainstream.ingest.IngestJob;
import dev.trainstream.ingest.IngestProgress;
import dev.trainstream.ingest.source.SyntheticDataset;
import dev.trainstream.storage.S3Settings;
import dev.trainstream.storage.dataset.Shard;
import dev.trainstream.trainer.TrainerConfig;
import dev.trainstream.trainer.TrainerRun;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Trainer benchmark, case (c): the trainer service end to end (batch references from Kafka, shards from S3 through its
 * cache, prefetching, checkpoints and events) against the bare engine loop ({@link TrainingSession#prepare} +
 * {@code step}) on the same synthetic images, same architecture, batch size and threads, in the same run. Throughput is
 * measured over the steps after the warm-up, per side.
 */
@Command(name = "trainer", mixinStandardHelpOptions = true, sortOptions = false,
    description = "The trainer service end to end (Kafka + S3) vs the bare engine loop on the same images.")
final class TrainerBench implements Callable<Integer> {

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "5",
        description = "Alternating rounds (service first in odd rounds), an odd number (the median is quoted). "
            + "Default: ${DEFAULT-VALUE}")
    int rounds;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "2",
        description = "Intra-op threads for both sides. Default: ${DEFAULT-VALUE}")
    int threads;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "128",
        description = "Training batch. Default: ${DEFAULT-VALUE}")
    int batch;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "24",
        description = "Training steps per side and round (one epoch of references for the service). "
            + "Default: ${DEFAULT-VALUE}")
    int steps;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "6",
        description = "Steps not timed at the start of each side. Default: ${DEFAULT-VALUE}")
    int warmup;

    @Option(names = "--device", paramLabel = "D", defaultValue = "CPU",
        description = "cpu, or gpu (GPU 0) for both sides. Default: cpu")
    BenchDevice device;

    @Option(names = "--width", paramLabel = "A", defaultValue = "1.0",
        description = "Width multiplier alpha. Default: ${DEFAULT-VALUE}")
    double width;

    @Override
    public Integer call() throws Exception {
        RoundStatistics.requireOdd(rounds);
        BenchOptions.positive("threads", threads);
        BenchOptions.positive("batch", batch);
        if (warmup < 1 || steps <= warmup) {
            throw new IllegalArgumentException("--warmup must be >= 1 and below --steps, got " + warmup + " of "
                + steps);
        }
        if (device == null) {
            throw new IllegalArgumentException("--device must be cpu or gpu");
        }
        // a missing GPU fails here with the engine's message, before the infrastructure starts
        device.choice().resolve(EngineRuntime.configure(device.engine(threads)).getGpuCount());
        if (!(width > 0)) {
            throw new IllegalArgumentException("--width must be > 0, got " + width);
        }
        int images = batch * steps;
        Path work = Files.createTempDirectory("trainstream-trainer-bench");
        System.out.printf(Locale.ROOT, "trainer benchmark: MobileNetV1 alpha %.2f, batch %d, %d steps (%d warm-up),"
            + " %d threads, %d rounds, device %s%n", width, batch, steps, warmup, threads, rounds, device);
        Shard train = new SyntheticDataset(images, 100, 42).load().train();
        LabeledImages raw = new LabeledImages(train.count(), 3, 32, 32, train.pixels(), train.labels());
        try (LocalInfrastructure infra = LocalInfrastructure.start(work)) {
            S3Settings s3 = new S3Settings(infra.s3().endpoint(), infra.s3().accessKey(), infra.s3().secretKey(),
                "trainer-bench", "us-east-1");
            new IngestJob(new IngestConfig(new IngestConfig.DatasetLocation.Synthetic(images, 100), work.resolve("cache"),
                rounds, batch, 42, 1024, 4, false, infra.kafka().bootstrapServers(), (short) 1, s3), IngestProgress.logging()).run();
            double[] ratios = new double[rounds];
            for (int round = 1; round <= rounds; round++) {
                double service = 0;
                double bare = 0;
                for (int order = 0; order < 2; order++) {
                    if ((order == 0) == (round % 2 == 1)) {
                        service = service(infra, s3, round, width, batch, threads, steps, warmup, device);
                    } else {
                        bare = bare(raw, width, batch, threads, steps, warmup, device);
                    }
                }
                ratios[round - 1] = service / bare;
                System.out.printf(Locale.ROOT, "round %d: trainer service %.1f img/s | bare engine loop %.1f img/s | "
                    + "service/bare = %.3fx%n", round, service, bare, service / bare);
            }
            System.out.println("trainer-service / bare-loop throughput: " + RoundStatistics.of(ratios).ratioLine()
                + " (target >= 0.97x)");
        }
        return 0;
    }

    /** The trainer service for one epoch of references; img/s over the steps after the warm-up. */
    private static double service(LocalInfrastructure infra, S3Settings s3, int round, double width, int batch,
                                  int threads, int steps, int warmup, BenchDevice device) throws Exception {
        TrainerConfig config = TrainerConfig.builder("bench-" + round + "-" + System.nanoTime(),
                infra.kafka().bootstrapServers(), s3).widthMultiplier(width).optimizer(OptimizerKind.SGD).epochs(1)
            .metricsEverySteps(1_000_000).threads(threads).device(device.choice()).shardCacheBytes(1L << 30)
            .gracePeriod(Duration.ofSeconds(60)).build();
        AtomicLong warmStart = new AtomicLong();
        AtomicLong end = new AtomicLong();
        AtomicLong counted = new AtomicLong();
        ThreadCpuProfile[] profile = new ThreadCpuProfile[1];
        String[] measured = new String[1];
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (TrainerRun run = new TrainerRun(config, registry)) {
            run.setProgress((epoch, step, stepsInEpoch, result, imagesInBatch) -> {
                if (step == warmup) {
                    warmStart.set(System.nanoTime());
                    profile[0] = new ThreadCpuProfile();
                } else if (step > warmup) {
                    counted.addAndGet(imagesInBatch);
                    end.set(System.nanoTime());
                    if (step == steps) {
                        measured[0] = profile[0].render();
                    }
                }
            });
            run.run();
        }
        double imagesPerSecond = counted.get() / ((end.get() - warmStart.get()) / 1e9);
        if (measured[0] != null) {
            System.out.print("round " + round + ": trainer service, measured steps:\n" + measured[0]);
        }
        Timer wait = registry.find("trainstream_trainer_data_wait").timer();
        if (wait != null) {
            // every step, warm-up included: how long the step loop waited for its next prepared batch
            System.out.printf(Locale.ROOT, "round %d: trainer service %.1f img/s after warm-up, data-wait mean %.2f"
                + " ms/step, max %.2f ms over %d steps%n", round, imagesPerSecond,
                wait.mean(TimeUnit.MILLISECONDS), wait.max(TimeUnit.MILLISECONDS), wait.count());
        }
        return imagesPerSecond;
    }

    /** The bare engine loop over the same images; img/s over the steps after the warm-up. */
    private static double bare(LabeledImages raw, double width, int batch, int threads, int steps, int warmup,
                               BenchDevice device) {
        ModelOptions model = ModelOptions.builder().optWidthMultiplier(width).build();
        TrainingConfig config = TrainingConfig.builder().setTotalSteps(steps).optBatchSize(batch).optSeed(42).build();
        try (TrainingSession session = TrainingSession.create(model, config, device.engine(threads))) {
            long start = 0;
            long images = 0;
            ThreadCpuProfile profile = null;
            for (int step = 0; step < steps; step++) {
                PreparedBatch prepared = session.prepare(raw.slice(step * batch, (step + 1) * batch), step);
                session.step(prepared);
                if (step + 1 == warmup) {
                    start = System.nanoTime();
                    profile = new ThreadCpuProfile();
                } else if (step + 1 > warmup) {
                    images += prepared.count();
                }
            }
            double imagesPerSecond = images / ((System.nanoTime() - start) / 1e9);
            System.out.print("bare engine loop, measured steps:\n" + profile.render());
            return imagesPerSecond;
        }
    }
}
