package dev.trainstream.bench;

import dev.trainstream.infra.LocalInfrastructure;
import dev.trainstream.ingest.IngestConfig;
import dev.trainstream.ingest.IngestJob;
import dev.trainstream.ingest.IngestProgress;
import dev.trainstream.ingest.IngestSummary;
import dev.trainstream.storage.ObjectInfo;
import dev.trainstream.storage.ObjectStore;
import dev.trainstream.storage.RetryPolicy;
import dev.trainstream.storage.S3Settings;
import dev.trainstream.storage.dataset.DatasetLayout;
import dev.trainstream.storage.dataset.DatasetManifest;
import dev.trainstream.storage.dataset.DatasetStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Ingest benchmark: the full ingest of a dataset (read archive while decoding, shard, upload each shard in parallel as
 * soon as it is encoded, manifest, publish one epoch of batch references) against a raw parallel S3 PUT of the same
 * shard bytes with the same parallelism, both to the same embedded S3 server in the same run, alternating order per
 * round. Prints seconds, MB/s and the ratio. {@code --as-cifar-binary} first rewrites the JPEG archive's images as
 * the official CIFAR-10 binary archive, so the default source format (no image decoding) is timed too.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true, sortOptions = false,
    description = "The full ingest of a dataset vs a raw parallel S3 PUT of the same shard bytes.")
final class IngestBench implements Callable<Integer> {

    @Option(names = "--dataset", paramLabel = "PATH", defaultValue = "../shared/datasets/cifar10-jpeg.tar.gz",
        description = "Dataset archive to ingest. Default: ${DEFAULT-VALUE}")
    Path dataset;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "5",
        description = "Alternating rounds, an odd number (the median is quoted). Default: ${DEFAULT-VALUE}")
    int rounds;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "4",
        description = "Parallel shard uploads, for ingest and the raw PUT alike. Default: ${DEFAULT-VALUE}")
    int parallel;

    @Option(names = "--as-cifar-binary",
        description = "First rewrite the JPEG archive as the official CIFAR-10 binary archive (untimed), so the "
            + "default source format is timed.")
    boolean asBinary;

    @Option(names = "--breakdown",
        description = "Print each round's ingest phases as a timeline: when each began, wall and process CPU seconds "
            + "since the previous one (what runs in sequence, what overlaps, what more cores would buy).")
    boolean breakdown;

    @Override
    public Integer call() throws Exception {
        RoundStatistics.requireOdd(rounds);
        BenchOptions.positive("parallel", parallel);
        if (!Files.exists(dataset)) {
            throw new IllegalArgumentException("dataset not found: " + dataset.toAbsolutePath());
        }
        Path work = Files.createTempDirectory("trainstream-ingest-bench");
        if (asBinary) {
            // untimed: the same images re-encoded as the official binary archive (the default source's format)
            long start = System.nanoTime();
            dataset = CifarBinaryArchive.write(CifarJpegArchive.load(dataset), work.resolve("cifar-10-binary.tar.gz"));
            System.out.printf(Locale.ROOT, "wrote %s (%.1f MB) from the JPEG archive in %.1f s (not timed)%n", dataset,
                Files.size(dataset) / 1e6, (System.nanoTime() - start) / 1e9);
        }
        System.out.printf(Locale.ROOT, "ingest benchmark: %s, %d rounds, %d parallel uploads, %d cores%n", dataset, rounds,
            parallel, Runtime.getRuntime().availableProcessors());
        try (LocalInfrastructure infra = LocalInfrastructure.start(work)) {
            List<Double> ratios = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                S3Settings ingestBucket = settings(infra, "bench-ingest-" + round);
                S3Settings rawBucket = settings(infra, "bench-raw-" + round);
                boolean rawFirst = round % 2 == 0;
                double rawSeconds = 0;
                IngestSummary summary = null;
                double ingestSeconds = 0;
                List<byte[]> shards = null;
                if (rawFirst) {
                    shards = shardBytesFromPreviousRound(infra, round);
                    ThreadCpuProfile rawProfile = new ThreadCpuProfile();
                    rawSeconds = rawPut(rawBucket, shards, parallel);
                    if (breakdown) {
                        System.out.print("round " + round + " raw PUT, CPU by thread:\n" + rawProfile.render());
                    }
                }
                PhaseTimeline timeline = new PhaseTimeline();
                ThreadCpuProfile ingestProfile = new ThreadCpuProfile();
                long start = System.nanoTime();
                summary = new IngestJob(new IngestConfig(new IngestConfig.DatasetLocation.Local(dataset), work.resolve("cache"),
                    1, 128, 42, 2500, parallel, false, infra.kafka().bootstrapServers(), (short) 1, ingestBucket),
                    breakdown ? timeline : IngestProgress.logging()).run();
                ingestSeconds = (System.nanoTime() - start) / 1e9;
                if (breakdown) {
                    System.out.print("round " + round + " ingest phases:\n" + timeline.render()
                        + "round " + round + " ingest, CPU by thread:\n" + ingestProfile.render());
                }
                if (!rawFirst) {
                    shards = readShards(ingestBucket, summary.datasetId());
                    ThreadCpuProfile rawProfile = new ThreadCpuProfile();
                    rawSeconds = rawPut(rawBucket, shards, parallel);
                    if (breakdown) {
                        System.out.print("round " + round + " raw PUT, CPU by thread:\n" + rawProfile.render());
                    }
                }
                double mb = summary.bytesTotal() / 1e6;
                double ratio = ingestSeconds / rawSeconds;
                ratios.add(ratio);
                System.out.printf(Locale.ROOT, "round %d: ingest %.1f s (%.1f MB, %.1f MB/s, %d+%d images) | raw parallel PUT "
                    + "%.1f s (%.1f MB/s) | ingest/raw = %.2fx%n", round, ingestSeconds, mb, mb / ingestSeconds,
                    summary.trainRecords(), summary.testRecords(), rawSeconds, mb / rawSeconds, ratio);
            }
            System.out.println("ingest/raw-PUT time ratio: "
                + RoundStatistics.of(ratios.stream().mapToDouble(Double::doubleValue).toArray()).ratioLine()
                + " (target <= 1.5x)");
        }
        return 0;
    }

    private static S3Settings settings(LocalInfrastructure infra, String bucket) {
        return new S3Settings(infra.s3().endpoint(), infra.s3().accessKey(), infra.s3().secretKey(), bucket, "us-east-1");
    }

    private static List<byte[]> shardBytesFromPreviousRound(LocalInfrastructure infra, int round) {
        S3Settings previous = settings(infra, "bench-ingest-" + (round - 1));
        try (ObjectStore store = ObjectStore.connect(previous, RetryPolicy.standard())) {
            List<ObjectInfo> manifests = store.list("datasets/").stream()
                .filter(o -> o.key().endsWith("manifest.json")).toList();
            String id = manifests.get(0).key().split("/")[1];
            return readShards(previous, id);
        }
    }

    /** The bytes of every shard the dataset's manifest names (shards are content-addressed, outside its prefix). */
    private static List<byte[]> readShards(S3Settings bucket, String datasetId) {
        try (ObjectStore store = ObjectStore.connect(bucket, RetryPolicy.standard())) {
            DatasetManifest manifest = new DatasetStore(store).readManifest(DatasetLayout.manifestKey(datasetId));
            List<byte[]> out = new ArrayList<>();
            for (DatasetManifest.ShardRef ref : Stream.concat(manifest.train().shards().stream(),
                manifest.test().shards().stream()).toList()) {
                out.add(store.get(ref.key()));
            }
            return out;
        }
    }

    private static double rawPut(S3Settings bucket, List<byte[]> objects, int parallel) throws Exception {
        try (ObjectStore store = ObjectStore.connect(bucket, RetryPolicy.standard())) {
            store.ensureBucket();
            ExecutorService pool = Executors.newFixedThreadPool(parallel);
            try {
                long start = System.nanoTime();
                List<Future<String>> puts = new ArrayList<>();
                for (int i = 0; i < objects.size(); i++) {
                    byte[] body = objects.get(i);
                    String key = "raw/" + i + ".bin";
                    puts.add(pool.submit(() -> store.put(key, body, "application/octet-stream")));
                }
                for (Future<String> put : puts) {
                    put.get();
                }
                return (System.nanoTime() - start) / 1e9;
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
