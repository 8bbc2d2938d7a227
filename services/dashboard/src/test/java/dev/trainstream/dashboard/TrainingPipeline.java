package dev.trainstream.dashboard;

import dev.trainstream.evaluator.EvaluatorConfig;
import dev.trainstream.evaluator.EvaluatorRun;
import dev.trainstream.evaluator.EvaluatorSummary;
import dev.trainstream.events.topics.TopicAdmin;
import dev.trainstream.events.topics.Topics;
import dev.trainstream.infra.LocalInfrastructure;
import dev.trainstream.ingest.IngestConfig;
import dev.trainstream.ingest.IngestJob;
import dev.trainstream.ingest.IngestProgress;
import dev.trainstream.ingest.IngestSummary;
import dev.trainstream.ops.lifecycle.RunningService;
import dev.trainstream.storage.S3Settings;
import dev.trainstream.trainer.TrainerConfig;
import dev.trainstream.trainer.TrainerRun;
import dev.trainstream.trainer.TrainerSummary;
import dev.trainstream.trainer.TrainingProgress;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The real pipeline for the dashboard to watch, in this JVM: embedded Kafka and S3, data ingested by the real ingest
 * job, and the real trainers and evaluator each on its own thread. {@link #close()} stops them, waits for them, and
 * stops the infrastructure.
 */
final class TrainingPipeline implements AutoCloseable {
    static final String BUCKET = "dashboard-test";
    private static final Duration STOP_LIMIT = Duration.ofSeconds(60);

    private final LocalInfrastructure infra;
    private final S3Settings s3;
    private final Path dir;
    private RunningService<EvaluatorSummary> evaluator;
    private final List<RunningService<TrainerSummary>> trainers = new ArrayList<>();

    private TrainingPipeline(LocalInfrastructure infra, Path dir) {
        this.infra = infra;
        this.dir = dir;
        this.s3 = new S3Settings(infra.s3().endpoint(), infra.s3().accessKey(), infra.s3().secretKey(), BUCKET,
            "us-east-1");
    }

    static TrainingPipeline start(Path dir) {
        LocalInfrastructure infra = LocalInfrastructure.start(dir.resolve("infra"));
        try {
            TopicAdmin.ensureTopics(infra.kafka().bootstrapServers(), List.copyOf(Topics.all()), (short) 1);
            return new TrainingPipeline(infra, dir);
        } catch (RuntimeException e) {
            infra.close();
            throw e;
        }
    }

    String kafkaBootstrap() {
        return infra.kafka().bootstrapServers();
    }

    S3Settings s3() {
        return s3;
    }

    /** Ingests synthetic images (CIFAR-10-shaped, learnable) for one epoch, batch references included. */
    IngestSummary ingestSynthetic(int trainImages, int testImages, int batchSize, long seed) throws Exception {
        return new IngestJob(new IngestConfig(new IngestConfig.DatasetLocation.Synthetic(trainImages, testImages),
            dir.resolve("cache"), 1, batchSize, seed, 64, 2, true, kafkaBootstrap(), (short) 1, s3),
            IngestProgress.logging()).run();
    }

    /** Starts the evaluator; it scores every checkpoint announced, from the beginning of the topic. */
    void startEvaluator(EvaluatorConfig config) {
        evaluator = RunningService.start(new EvaluatorRun(config, new SimpleMeterRegistry(), outcome -> { }),
            STOP_LIMIT);
    }

    /**
     * Starts a trainer (one per run; each reads the ingested epoch from the start); its {@code await} returns the
     * summary once it has trained its epochs.
     */
    RunningService<TrainerSummary> startTrainer(TrainerConfig config, TrainingProgress progress) {
        TrainerRun run = new TrainerRun(config, new SimpleMeterRegistry());
        run.setProgress(progress);
        RunningService<TrainerSummary> trainer = RunningService.start(run, STOP_LIMIT);
        trainers.add(trainer);
        return trainer;
    }

    /** Stops the trainers and the evaluator through their lifecycle, then the infrastructure; fails if any failed. */
    @Override
    public void close() throws Exception {
        try (infra) {
            List<RunningService<?>> services = new ArrayList<>(trainers);
            services.add(evaluator);
            for (RunningService<?> service : services) {
                if (service != null) {
                    service.close();
                }
            }
            for (RunningService<?> service : services) {
                if (service != null) {
                    if (!service.isClosed()) {
                        throw new IllegalStateException(service.name() + " did not stop within "
                            + STOP_LIMIT.toSeconds() + " s");
                    }
                    if (service.failure() != null) {
                        throw new IllegalStateException(service.name() + " failed: " + service.failure(),
                            service.failure());
                    }
                }
            }
        }
    }
}
