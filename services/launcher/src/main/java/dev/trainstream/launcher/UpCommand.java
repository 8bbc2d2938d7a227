package dev.trainstream.launcher;

import dev.trainstream.ops.config.ConnectionSettings;
import dev.trainstream.dashboard.DashboardConfig;
import dev.trainstream.dashboard.DashboardService;
import dev.trainstream.evaluator.EvaluatorConfig;
import dev.trainstream.evaluator.EvaluatorRun;
import dev.trainstream.evaluator.EvaluatorSummary;
import dev.trainstream.events.EvaluationCompleted;
import dev.trainstream.events.EvaluationFailed;
import dev.trainstream.events.EvaluationOutcome;
import dev.trainstream.infra.LocalInfrastructure;
import dev.trainstream.ingest.IngestConfig;
import dev.trainstream.ingest.IngestJob;
import dev.trainstream.ingest.IngestSummary;
import dev.trainstream.ops.lifecycle.RunningService;
import dev.trainstream.storage.S3Settings;
import dev.trainstream.trainer.TrainerConfig;
import dev.trainstream.trainer.TrainerRun;
import dev.trainstream.trainer.TrainerSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code trainstream up}: the whole pipeline on this machine with nothing installed. Starts a real Kafka broker and a
 * real S3 server in this JVM, runs evaluator, trainer and ingest against them through the real clients, prints
 * progress and the final test accuracy, shuts everything down and exits 0.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
    description = "Run ingest -> trainer -> evaluator end to end on embedded Kafka + S3, then exit.")
final class UpCommand implements Callable<Integer> {
    @Mixin
    IngestOptions ingest;
    @Mixin
    TrainerOptions trainer;
    @Mixin
    EvaluatorOptions evaluator;

    @Option(names = "--work-dir", paramLabel = "DIR", defaultValue = ".trainstream/local",
        description = "Where the embedded broker and S3 server keep their data. Default: ${DEFAULT-VALUE}")
    Path workDir;

    @Option(names = "--dashboard-port", paramLabel = "PORT", defaultValue = "8090",
        description = "Port of the live dashboard while the pipeline runs (0 = any free port). Default: ${DEFAULT-VALUE}")
    int dashboardPort;

    @Option(names = "--keep-data", description = "Keep the work directory's previous contents (default: start clean).")
    boolean keepData;

    /** How long each service may take to finish its work in hand and close when {@code up} stops it. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(ConnectionSettings.GRACE_SECONDS.defaultLong());

    @Option(names = "--evaluation-timeout-seconds", defaultValue = "900",
        description = "How long to wait for the final checkpoint's evaluation. Default: ${DEFAULT-VALUE}")
    long evaluationTimeoutSeconds;

    /** What the run produced; returned to tests. */
    record Outcome(IngestSummary ingest, TrainerSummary trainer, EvaluationCompleted finalEvaluation, String kafkaBootstrap,
                   S3Settings s3) {
    }

    private PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        runPipeline(infra -> { });
        return 0;
    }


    /** Runs everything; {@code whileRunning} sees the infrastructure before it is shut down (tests inspect it). */
    Outcome runPipeline(Consumer<LocalInfrastructure> whileRunning) throws Exception {
        if (!keepData) {
            deleteRecursively(workDir);
        }
        try (LocalInfrastructure infra = LocalInfrastructure.start(workDir)) {
            S3Settings s3 = new S3Settings(infra.s3().endpoint(), infra.s3().accessKey(), infra.s3().secretKey(),
                ConnectionSettings.S3_BUCKET.required(), ConnectionSettings.S3_REGION.required());
            String bootstrap = infra.kafka().bootstrapServers();
            out.println("embedded Kafka at " + bootstrap + ", S3 at " + s3.endpoint() + " (data in " + workDir + ")");
            CountDownLatch listening = new CountDownLatch(1);
            DashboardService dashboard = new DashboardService(DashboardConfig.builder().kafkaBootstrap(bootstrap)
                .optHost("127.0.0.1").optPort(dashboardPort).build(), d -> {
                    out.println("dashboard at " + d.url());
                    listening.countDown();
                });
            try (RunningService<Void> serving = RunningService.start(dashboard, STOP_TIMEOUT)) {
                awaitListening(serving, listening);
                return runServices(infra, s3, bootstrap, whileRunning);
            }
        }
    }

    /** The dashboard must listen before the pipeline starts (a taken port fails {@code up}, naming the port). */
    private static void awaitListening(RunningService<Void> serving, CountDownLatch listening) throws Exception {
        long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
        while (!listening.await(200, TimeUnit.MILLISECONDS)) {
            if (serving.isClosed()) {
                serving.await();
                throw new IllegalStateException("the dashboard stopped before it listened");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the dashboard did not listen within " + STOP_TIMEOUT.toSeconds() + " s");
            }
        }
    }

    /**
     * Evaluator, trainer and ingest, each hosted as the launcher hosts it. Whatever happens, they are stopped and
     * closed in reverse order of starting, each on its own thread after its loop ended (try-with-resources).
     */
    private Outcome runServices(LocalInfrastructure infra, S3Settings s3, String bootstrap,
                                Consumer<LocalInfrastructure> whileRunning) throws Exception {
        trainer.epochs = ingest.epochs;
        trainer.seed = ingest.seed;
        IngestConfig ingestConfig = ingest.toConfig(bootstrap, (short) 1, s3);
        TrainerConfig trainerConfig = trainer.toConfig(bootstrap, (short) 1, s3, STOP_TIMEOUT);
        EvaluatorConfig evaluatorConfig = evaluator.toConfig(bootstrap, (short) 1, s3);

        BlockingQueue<EvaluationOutcome> evaluations = new LinkedBlockingQueue<>();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        TrainerRun trainerRun = new TrainerRun(trainerConfig, registry);
        trainerRun.setProgress(TerminalTrainingProgress.forConsole());
        try (RunningService<EvaluatorSummary> evaluating = RunningService.start(
                 new EvaluatorRun(evaluatorConfig, registry, evaluations::add), STOP_TIMEOUT);
             RunningService<TrainerSummary> training = RunningService.start(trainerRun, STOP_TIMEOUT);
             RunningService<IngestSummary> ingesting = RunningService.start(
                 new IngestJob(ingestConfig, TerminalIngestProgress.forConsole()), STOP_TIMEOUT)) {
            IngestSummary ingested = HostedService.awaitResult(ingesting);
            out.println("ingest: " + ingested.render());
            TrainerSummary trained = training.await();
            out.println("trainer: run " + trained.runId() + " trained " + trained.steps() + " steps over "
                + trained.epochs() + " epochs; last checkpoint " + trained.lastCheckpointUri().orElse("none"));
            EvaluationCompleted last = awaitEvaluation(evaluations, trained, evaluating);
            out.println(String.format(Locale.ROOT, "final test accuracy: %.2f%% (%d test images, mean loss %.4f, "
                + "checkpoint step %d)", last.accuracy() * 100, last.examples(), last.meanLoss(), last.step()));
            whileRunning.accept(infra);
            evaluating.close();
            evaluating.await();
            return new Outcome(ingested, trained, last, bootstrap, s3);
        }
    }

    private EvaluationCompleted awaitEvaluation(BlockingQueue<EvaluationOutcome> evaluations, TrainerSummary trained,
                                                RunningService<EvaluatorSummary> evaluating) throws InterruptedException {
        String wanted = trained.lastCheckpointUri().orElseThrow(() -> new IllegalStateException(
            "the trainer wrote no checkpoint (no batches arrived?)"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(evaluationTimeoutSeconds);
        while (System.nanoTime() < deadline) {
            if (evaluating.isClosed()) {
                evaluating.await();
                throw new IllegalStateException("the evaluator stopped before scoring " + wanted);
            }
            EvaluationOutcome next = evaluations.poll(1, TimeUnit.SECONDS);
            if (next instanceof EvaluationFailed failed && failed.checkpointUri().equals(wanted)) {
                throw new IllegalStateException("evaluation of " + wanted + " failed: " + failed.reason());
            }
            if (next instanceof EvaluationCompleted done && done.checkpointUri().equals(wanted)) {
                return done;
            }
        }
        throw new IllegalStateException("no evaluation of " + wanted + " within " + evaluationTimeoutSeconds + " s");
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    void output(PrintStream stream) {
        this.out = stream;
    }

}
