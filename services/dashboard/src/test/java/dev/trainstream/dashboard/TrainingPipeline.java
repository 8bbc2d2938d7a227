package dev.trainstream.dashboard;

import dev.trainstream.evaluator.EvaluatorConfig;
import dev.trainstream.evaluator.EvaluatorRun;
import dev.trainstream.events.topics.TopicAdmin;
import dev.trainstream.events.topics.Topics;
import dev.trainstream.infra.LocalInfrastructure;
import dev.trainstream.ingest.IngestConfig;
import dev.trainstream.ingest.IngestJob;
import dev.trainstream.ingest.IngestProgress;
import dev.trainstream.ingest.IngestSummary;
import dev.trainstream.storage.S3Settings;
import dev.trainstream.trainer.TrainerConfig;
import dev.trainstream.trainer.TrainerRun;
import dev.trainstream.trainer.TrainerSummary;
import dev.trainstream.trainer.TrainingProgress;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The real pipeline for the dashboard to watch, in this JVM: embedded Kafka and S3, data ingested by the real ingest
 * job, and the real trainer and evaluator each on its own thread. {@link #close()} stops both, waits for them, and
 * stops the infrastructure.
 */
final class TrainingPipeline implements AutoCloseable {
    static final String BUCKET = "dashboard-test";
    private static final Duration STOP_LIMIT = Duration.ofSeconds(60);

    private final LocalInfrastructure infra;
    private final S3Settings s3;
    private final Path dir;
    private EvaluatorRun evaluator;
    private CompletableFuture<Void> evaluating;
    private TrainerRun trainer;
    private CompletableFuture<TrainerSummary> training;

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
        return IngestJob.run(new IngestConfig(new IngestConfig.DatasetLocation.Synthetic(trainImages, testImages),
            dir.resolve("cache"), 1, batchSize, seed, 64, 2, true, kafkaBootstrap(), (short) 1, s3),
            IngestProgress.logging());
    }

    /** Starts the evaluator; it scores every checkpoint announced, from the beginning of the topic. */
    void startEvaluator(EvaluatorConfig config) {
        evaluator = new EvaluatorRun(config, new SimpleMeterRegistry(), outcome -> { });
        evaluating = CompletableFuture.runAsync(evaluator::run, thread("evaluator"));
    }

    /** Starts the trainer; the future completes when it has trained its epochs (or fails with its error). */
    CompletableFuture<TrainerSummary> startTrainer(TrainerConfig config, TrainingProgress progress) {
        trainer = new TrainerRun(config, new SimpleMeterRegistry());
        trainer.setProgress(progress);
        training = CompletableFuture.supplyAsync(this::train, thread("trainer"));
        return training;
    }

    private TrainerSummary train() {
        try {
            return trainer.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("trainer interrupted", e);
        }
    }

    @Override
    public void close() throws Exception {
        try (infra; AutoCloseable closeEvaluator = evaluator; AutoCloseable closeTrainer = trainer) {
            if (trainer != null) {
                trainer.requestStop();
            }
            if (evaluator != null) {
                evaluator.requestStop();
            }
            try {
                awaitEnd(training, "trainer");
            } finally {
                awaitEnd(evaluating, "evaluator");
            }
        }
    }

    private static void awaitEnd(CompletableFuture<?> future, String what) throws InterruptedException {
        if (future == null) {
            return;
        }
        try {
            future.get(STOP_LIMIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(what + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(what + " did not stop within " + STOP_LIMIT.toSeconds() + " s", e);
        }
    }

    private static Executor thread(String name) {
        return task -> {
            Thread t = new Thread(task, "pipeline-" + name);
            t.setDaemon(true);
            t.start();
        };
    }
}
