package dev.trainstream.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainstream.engine.model.Activation;
import dev.trainstream.engine.training.DeviceChoice;
import dev.trainstream.engine.training.OptimizerKind;
import dev.trainstream.ops.lifecycle.RunningService;
import dev.trainstream.evaluator.EvaluatorConfig;
import dev.trainstream.ingest.IngestSummary;
import dev.trainstream.ingest.source.SyntheticDataset;
import dev.trainstream.trainer.TrainerConfig;
import dev.trainstream.trainer.TrainerSummary;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard watching a real run, in a real browser ({@link BrowserPage}): embedded Kafka and S3, synthetic images
 * through the real ingest job, the real trainer and evaluator, and the dashboard consuming what they publish. The page
 * lists the run and opens it while it trains, its loss chart gains points as the trainer publishes them (the trainer
 * is held at two known steps by a {@link StepGate} so both observations fall mid-run on a machine of any speed), every
 * checkpoint gets its test accuracy, and a screenshot lands in target/dashboard-run-page.png.
 */
class DashboardBrowserTest {
    static final String RUN = "dashboard-live-run";
    /** 320 images in batches of 16: 20 steps of a 0.25-width MobileNetV1, some 20-40 s on 2 busy cores. */
    static final int TRAIN_IMAGES = 320;
    static final int TEST_IMAGES = 100;
    static final int BATCH_SIZE = 16;
    static final int STEPS = TRAIN_IMAGES / BATCH_SIZE;
    static final int METRICS_EVERY = 2;
    /** Checkpoints at steps 10 and 20 (the end of the epoch), so the evaluator scores two. */
    static final int CHECKPOINT_EVERY = 10;
    /** Held after step 5 (its metrics not yet out): metrics of steps 2 and 4 are published, so 2 points. */
    static final long FIRST_HOLD = 5;
    /** Held after step 11: metrics of steps 2 to 10 are published, so 5 points, and the step-10 checkpoint. */
    static final long SECOND_HOLD = 11;
    static final Duration TRAINING_LIMIT = Duration.ofMinutes(3);

    @TempDir
    Path dir;

    @Test
    void givenARealTrainingRun_whenItsPageIsOpenWhileItTrains_thenTheLossChartGainsPointsAndCheckpointsGetScored()
        throws Exception {
        BrowserPage.assumeAvailable();
        try (TrainingPipeline pipeline = TrainingPipeline.start(dir);
             StepGate gate = new StepGate(FIRST_HOLD, SECOND_HOLD)) {
            IngestSummary data = pipeline.ingestSynthetic(TRAIN_IMAGES, TEST_IMAGES, BATCH_SIZE, 7);
            try (Dashboard dashboard = Dashboard.start(DashboardConfig.builder()
                     .kafkaBootstrap(pipeline.kafkaBootstrap()).optHost("127.0.0.1").optPort(0).build());
                 BrowserPage page = BrowserPage.open(dashboard.url(), RUN, Path.of("target/dashboard-run-page.png"),
                     Path.of("target/dashboard-browser.log"))) {
                pipeline.startEvaluator(new EvaluatorConfig(TEST_IMAGES, 1, DeviceChoice.parse("cpu"), 0, 0,
                    "dashboard-test-evaluator", pipeline.kafkaBootstrap(), (short) 1, pipeline.s3()));
                RunningService<TrainerSummary> training = pipeline.startTrainer(trainerConfig(pipeline,
                    data.datasetId()), gate);

                JsonNode listed = page.listed();
                assertThat(listed.get("linkText").asText()).isEqualTo(RUN);
                assertThat(listed.get("status").asText()).isEqualTo("running");
                page.points();
                page.awaitPoints(FIRST_HOLD / METRICS_EVERY);
                int first = page.points();
                assertThat(first).as("loss points while the trainer is held after step " + FIRST_HOLD)
                    .isEqualTo(FIRST_HOLD / METRICS_EVERY);

                gate.release(FIRST_HOLD);
                page.awaitPoints(SECOND_HOLD / METRICS_EVERY);
                int second = page.points();
                assertThat(training.isClosed()).as("trainer still training at the second look").isFalse();
                assertThat(second).as("loss points, without a reload, once the trainer is held after step "
                    + SECOND_HOLD).isGreaterThan(first).isEqualTo(SECOND_HOLD / METRICS_EVERY);

                gate.release(SECOND_HOLD);
                TrainerSummary trained = training.await(TRAINING_LIMIT);
                assertThat(trained.steps()).isEqualTo(STEPS);
                JsonNode result = page.finish(2, 2);
                assertThat(result.get("runIdShown").asText()).isEqualTo(RUN);
                assertThat(result.get("status").asText()).isEqualTo("finished");
                assertThat(result.get("lossPoints").asInt()).isEqualTo(STEPS / METRICS_EVERY);
                assertThat(result.get("canvases").asInt()).isEqualTo(6);
                assertThat(result.get("checkpointSteps")).extracting(JsonNode::asLong)
                    .containsExactlyInAnyOrder((long) CHECKPOINT_EVERY, (long) STEPS);
                assertThat(result.get("bestRows")).extracting(JsonNode::asLong).hasSize(1)
                    .isSubsetOf((long) CHECKPOINT_EVERY, (long) STEPS);
                assertThat(result.get("matrixStep").asText()).isEqualTo("checkpoint step " + STEPS);
                assertThat(result.get("classHeaders")).extracting(JsonNode::asText)
                    .containsExactlyElementsOf(SyntheticDataset.CLASSES);
                assertThat(result.get("live").asText()).isEqualTo("open");
                assertThat(result.get("dialogs")).isEmpty();
                assertThat(result.get("errors")).as("page errors or foreign requests").isEmpty();
                assertThat(Path.of("target/dashboard-run-page.png")).isNotEmptyFile();
            }
        }
    }

    /** A tiny MobileNetV1 (width 0.25) with SGD at a fixed rate, one engine thread, metrics every 2 steps. */
    private static TrainerConfig trainerConfig(TrainingPipeline pipeline, String datasetId) {
        return TrainerConfig.builder(RUN, pipeline.kafkaBootstrap(), pipeline.s3()).widthMultiplier(0.25)
            .optimizer(OptimizerKind.SGD).learningRate(OptionalDouble.of(0.1)).epochs(1).seed(7).datasetId(datasetId)
            .metricsEverySteps(METRICS_EVERY).checkpointEverySteps(CHECKPOINT_EVERY).threads(1)
            .device(DeviceChoice.cpu()).prefetch(4).shardCacheBytes(64L << 20).gracePeriod(Duration.ofSeconds(60))
            .build();
    }
}
