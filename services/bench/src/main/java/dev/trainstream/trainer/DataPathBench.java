package dev.trainstream.trainer;

import dev.trainstream.bench.ProcessMemory;
import dev.trainstream.engine.data.LabeledImages;
import dev.trainstream.engine.data.PreparedBatch;
import dev.trainstream.engine.model.ModelOptions;
import dev.trainstream.engine.training.DeviceChoice;
import dev.trainstream.engine.training.EngineOptions;
import dev.trainstream.engine.training.Lookahead;
import dev.trainstream.engine.training.TrainingConfig;
import dev.trainstream.engine.training.TrainingSession;
import dev.trainstream.events.BatchReference;
import dev.trainstream.events.BatchStreamEvent;
import dev.trainstream.events.codec.EventCodec;
import dev.trainstream.events.consume.TypedConsumer;
import dev.trainstream.events.produce.DeadLetters;
import dev.trainstream.events.topics.Topics;
import dev.trainstream.infra.LocalInfrastructure;
import dev.trainstream.ingest.IngestConfig;
import dev.trainstream.ingest.IngestJob;
import dev.trainstream.ingest.IngestProgress;
import dev.trainstream.ingest.source.SyntheticDataset;
import dev.trainstream.storage.ObjectStore;
import dev.trainstream.storage.RetryPolicy;
import dev.trainstream.storage.S3Settings;
import dev.trainstream.storage.dataset.DatasetManifest;
import dev.trainstream.storage.dataset.DatasetStore;
import dev.trainstream.storage.dataset.Shard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The trainer's data path alone, without the model step: batch references polled from Kafka in offset order, shards
 * fetched from S3 through the trainer's cache and checked against their sha256, batches assembled and cropped,
 * flipped and normalised on the look-ahead workers, exactly as {@link TrainerRun} does it, then dropped. On a GPU the
 * step takes a few milliseconds per batch, so this path is what would limit the trainer there. Printed against the
 * same images prepared from memory (no Kafka, no S3, one thread): the ceiling of the CPU work per image.
 * <p>Lives in the trainer's package so that it runs the trainer's own package-private classes ({@link BatchLookahead},
 * {@link BatchAssembler}, {@link ShardCache}) rather than a copy of them.
 */
@Command(name = "datapath", mixinStandardHelpOptions = true, sortOptions = false,
    description = "The trainer's data path alone (Kafka poll, S3 shards, sha256, assembly, crop/flip/normalise), "
        + "images/s, vs the same preparation from memory.")
public final class DataPathBench implements Callable<Integer> {
    @Option(names = "--images", paramLabel = "N", defaultValue = "50000",
        description = "Training images (synthetic, 32x32x3, as CIFAR-10's). Default: ${DEFAULT-VALUE}")
    int images;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "128", description = "Batch size. Default: ${DEFAULT-VALUE}")
    int batch;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "3",
        description = "Epochs read: the first warms the shard cache and the JIT; the rest are timed. "
            + "Default: ${DEFAULT-VALUE}")
    int epochs;

    @Option(names = "--prefetch", paramLabel = "N", defaultValue = "8",
        description = "Look-ahead depth, as the trainer's --prefetch. Default: ${DEFAULT-VALUE}")
    int prefetch;

    @Override
    public Integer call() throws Exception {
        if (images < batch || batch < 1 || epochs < 2 || prefetch < 1) {
            throw new IllegalArgumentException("need --images >= --batch >= 1, --epochs >= 2 (one warm-up), "
                + "--prefetch >= 1");
        }
        Path work = Files.createTempDirectory("trainstream-datapath-bench");
        System.out.printf(Locale.ROOT, "data-path benchmark: %d synthetic 32x32x3 images, batch %d, %d epochs "
            + "(first one warm-up), prefetch %d, %d cores%n", images, batch, epochs, prefetch,
            Runtime.getRuntime().availableProcessors());
        try (LocalInfrastructure infra = LocalInfrastructure.start(work)) {
            S3Settings s3 = new S3Settings(infra.s3().endpoint(), infra.s3().accessKey(), infra.s3().secretKey(),
                "datapath-bench", "us-east-1");
            new IngestJob(new IngestConfig(new IngestConfig.DatasetLocation.Synthetic(images, 100),
                work.resolve("cache"), epochs, batch, 42, 1024, 4, false, infra.kafka().bootstrapServers(), (short) 1,
                s3), IngestProgress.logging()).run();
            double path = throughDataPath(infra.kafka().bootstrapServers(), s3);
            double memory = fromMemory();
            System.out.printf(Locale.ROOT, "trainer data path: %.0f images/s (target >= 20,000 on this machine) | "
                + "preparation from memory, one thread: %.0f images/s | path/memory = %.2fx%n", path, memory,
                path / memory);
        }
        return 0;
    }

    /** Images/s through the trainer's data path over every epoch after the first. */
    private double throughDataPath(String bootstrap, S3Settings s3) throws Exception {
        EventCodec codec = EventCodec.create("/bench");
        Properties pollLimit = new Properties();
        pollLimit.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, prefetch);
        try (ObjectStore objects = ObjectStore.connect(s3, RetryPolicy.standard());
             DeadLetters deadLetters = DeadLetters.create(bootstrap, codec, "bench/datapath");
             TypedConsumer<BatchStreamEvent> consumer = TypedConsumer.builder(Topics.BATCHES).bootstrap(bootstrap)
                 .groupId("datapath-bench-" + System.nanoTime()).clientId("datapath-bench").codec(codec)
                 .deadLetters(deadLetters)
                 .fromBeginning(true).isolationReadCommitted(true).subscribe(false).extra(pollLimit).build()) {
            consumer.seekToBeginning(consumer.assignAll());
            Preparation preparation = new Preparation(new DatasetStore(objects), prefetch);
            long timedImages = 0;
            long start = 0;
            long cpuStart = 0;
            try (BatchLookahead lookahead = new BatchLookahead(consumer, prefetch, e -> true, preparation::prepare, 0,
                     () -> false);
                 Preparation closing = preparation) {
                long expected = (long) epochs * ((images + batch - 1) / batch);
                long seen = 0;
                while (seen < expected) {
                    Optional<Lookahead.Ready<PendingItem>> next = lookahead.next();
                    if (next.isEmpty() || !(next.get().item() instanceof PendingItem.Batch item)) {
                        continue;
                    }
                    PreparedBatch prepared = next.get().batchOrThrow();
                    preparation.buffers.give(prepared.pixels()); // where the trainer's step would have copied them
                    seen++;
                    if (item.reference().epoch() == 0 && item.reference().step() == item.reference().stepsInEpoch() - 1) {
                        start = System.nanoTime();
                        cpuStart = ProcessMemory.cpuNanos();
                    } else if (start > 0) {
                        timedImages += prepared.count();
                    }
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpu = (ProcessMemory.cpuNanos() - cpuStart) / 1e9;
            System.out.printf(Locale.ROOT, "  data path: %d images in %.2f s, process CPU %.2f s (%.1f us of CPU per "
                + "image)%n", timedImages, seconds, cpu, cpu * 1e6 / timedImages);
            return timedImages / seconds;
        }
    }

    /** Images/s of the same preparation (crop + flip + normalise) over batches already in memory, one thread. */
    private double fromMemory() {
        Shard train = new SyntheticDataset(images, 100, 42).load().train();
        LabeledImages all = new LabeledImages(train.count(), 3, 32, 32, train.pixels(), train.labels());
        try (TrainingSession session = session(batch)) {
            long start = 0;
            long prepared = 0;
            int steps = train.count() / batch;
            for (int round = 0; round < epochs; round++) {
                if (round == 1) {
                    start = System.nanoTime();
                    prepared = 0;
                }
                for (int step = 0; step < steps; step++) {
                    prepared += session.prepare(all.slice(step * batch, (step + 1) * batch), step).count();
                }
            }
            return prepared / ((System.nanoTime() - start) / 1e9);
        }
    }

    /** A session only for its {@link TrainingSession#prepare} (the narrowest model: no step runs). */
    private static TrainingSession session(int batch) {
        return TrainingSession.create(ModelOptions.builder().optWidthMultiplier(0.25).build(),
            TrainingConfig.builder().setTotalSteps(1).optBatchSize(batch).build(),
            new EngineOptions(1, DeviceChoice.cpu()));
    }


    /** What the trainer's {@code preparation} does: the manifest and session from the first reference, then assembly. */
    private static final class Preparation implements AutoCloseable {
        private final DatasetStore datasets;
        private final BatchBuffers buffers;
        private BatchAssembler assembler;
        private TrainingSession session;

        Preparation(DatasetStore datasets, int prefetch) {
            this.datasets = datasets;
            this.buffers = new BatchBuffers(prefetch + 2);
        }

        Callable<PreparedBatch> prepare(BatchReference reference, long sequence) {
            if (session == null) {
                DatasetManifest manifest = datasets.readManifest(reference.manifestKey());
                assembler = new BatchAssembler(manifest, new ShardCache(datasets, 1L << 30), reference.batchSize());
                session = session(reference.batchSize());
            }
            return () -> {
                LabeledImages raw = assembler.assemble(reference);
                return session.prepare(raw, sequence, buffers.take(raw.pixels().length));
            };
        }

        @Override
        public void close() {
            if (session != null) {
                session.close();
            }
        }
    }
}
