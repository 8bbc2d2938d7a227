package dev.trainstream.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainstream.dashboard.view.CheckpointRow;
import dev.trainstream.dashboard.view.MetricPoint;
import dev.trainstream.dashboard.view.RunDetail;
import dev.trainstream.dashboard.view.RunRegistry;
import dev.trainstream.dashboard.view.RunStatus;
import dev.trainstream.engine.training.DeviceChoice;
import dev.trainstream.engine.training.OptimizerKind;
import dev.trainstream.evaluator.EvaluatorConfig;
import dev.trainstream.ingest.IngestSummary;
import dev.trainstream.trainer.TrainerConfig;
import dev.trainstream.trainer.TrainerSummary;
import dev.trainstream.trainer.TrainingProgress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs side by side in a real browser ({@link BrowserPage}, compare-page.mjs): two real runs of the real pipeline
 * (ingest, trainer, evaluator on embedded Kafka and S3), alike but for the learning rate, are ticked on the runs list
 * and compared. Every chart draws one series per run, the configuration table highlights exactly the learning rate,
 * the address carries the selection, and the smoothing slider draws TensorBoard's debiased moving average of what the
 * dashboard holds. A screenshot lands in target/dashboard-compare-page.png.
 */
class CompareRunsBrowserTest {
    static final String FAST = "compare-lr-0.1";
    static final String SLOW = "compare-lr-0.05";
    /** 320 images in batches of 16: 20 steps per run, one epoch, as in {@link DashboardBrowserTest}. */
    static final int TRAIN_IMAGES = 320;
    static final int TEST_IMAGES = 100;
    static final int BATCH_SIZE = 16;
    static final int STEPS = TRAIN_IMAGES / BATCH_SIZE;
    static final int METRICS_EVERY = 2;
    /** Checkpoints at steps 10 and 20 (the epoch's end): two scored per run. */
    static final int CHECKPOINT_EVERY = 10;
    static final int SCORED_PER_RUN = STEPS / CHECKPOINT_EVERY;
    static final double SMOOTHING = 0.6;
    /** compare-page.mjs's EMA_INPUT. */
    static final double[] EMA_INPUT = {2, 1, Double.NaN, 4, 3, 0.5};
    static final Duration TRAINING_LIMIT = Duration.ofMinutes(3);
    static final List<String> CHARTS = List.of("chart-loss", "chart-accuracy", "chart-test-accuracy", "chart-lr",
        "chart-throughput");

    @TempDir
    Path dir;

    @Test
    void givenTwoRealRunsDifferingInLearningRate_whenTickedAndCompared_thenEachChartOverlaysBothAndTheRateDiffers()
        throws Exception {
        BrowserPage.assumeAvailable();
        try (TrainingPipeline pipeline = TrainingPipeline.start(dir)) {
            IngestSummary data = pipeline.ingestSynthetic(TRAIN_IMAGES, TEST_IMAGES, BATCH_SIZE, 7);
            try (Dashboard dashboard = Dashboard.start(DashboardConfig.builder()
                     .kafkaBootstrap(pipeline.kafkaBootstrap()).optHost("127.0.0.1").optPort(0).build())) {
                pipeline.startEvaluator(new EvaluatorConfig(TEST_IMAGES, 1, DeviceChoice.parse("cpu"), 0, 0,
                    "compare-test-evaluator", pipeline.kafkaBootstrap(), (short) 1, pipeline.s3()));
                for (String run : List.of(FAST, SLOW)) {
                    double rate = run.equals(FAST) ? 0.1 : 0.05;
                    TrainerSummary trained = pipeline.startTrainer(trainerConfig(pipeline, run, rate,
                        data.datasetId()), TrainingProgress.none()).await(TRAINING_LIMIT);
                    assertThat(trained.steps()).as(run).isEqualTo(STEPS);
                }
                RunRegistry registry = dashboard.registry();
                Awaitility.await("both runs finished, every checkpoint scored").atMost(TRAINING_LIMIT)
                    .pollInterval(Duration.ofMillis(200)).until(() -> List.of(FAST, SLOW).stream().allMatch(run ->
                        registry.detail(run).filter(d -> d.summary().status() == RunStatus.FINISHED
                            && d.checkpoints().size() == SCORED_PER_RUN
                            && d.checkpoints().stream().allMatch(c -> c.testAccuracy() != null)).isPresent()));

                JsonNode result;
                try (BrowserPage page = BrowserPage.compare(dashboard.url(), List.of(FAST, SLOW), SCORED_PER_RUN,
                         Path.of("target/dashboard-compare-page.png"), Path.of("target/dashboard-compare.log"))) {
                    result = page.result();
                }

                assertThat(result.at("/linkBefore").asText()).as("compare link before any tick").isEqualTo("true");
                assertThat(result.at("/link/disabled").asText()).isEqualTo("false");
                assertThat(result.at("/link/text").asText()).isEqualTo("Compare selected runs (2)");
                JsonNode raw = result.get("raw");
                assertThat(raw.get("path").asText()).isEqualTo("/compare");
                assertThat(raw.get("runs")).extracting(JsonNode::asText).containsExactlyInAnyOrder(FAST, SLOW);
                for (String chart : CHARTS) {
                    assertThat(raw.at("/charts/" + chart)).extracting(s -> s.get("label").asText()).as(chart)
                        .containsExactlyInAnyOrder(FAST, SLOW);
                }
                assertThat(raw.get("canvases").asInt()).isEqualTo(CHARTS.size());
                assertThat(raw.get("legendLabels")).extracting(JsonNode::asText).contains(FAST, SLOW);
                for (JsonNode series : raw.at("/charts/chart-loss")) {
                    assertThat(series.get("points").asInt()).isEqualTo(STEPS / METRICS_EVERY);
                    assertThat(series.get("lastX").asLong()).isEqualTo(STEPS);
                }
                for (JsonNode series : raw.at("/charts/chart-test-accuracy")) {
                    assertThat(series.get("points").asInt()).isEqualTo(SCORED_PER_RUN);
                    assertThat(series.get("last").asDouble()).isEqualTo(testAccuracyAtEnd(registry,
                        series.get("label").asText()));
                }
                assertThat(raw.get("columns")).extracting(JsonNode::asText).containsExactlyInAnyOrder(FAST, SLOW);
                assertThat(raw.get("differing")).as("configuration rows highlighted as differing")
                    .extracting(JsonNode::asText).containsExactlyInAnyOrder("learningRate", "setting.learning-rate");
                assertThat(raw.get("rows").asInt()).as("the configuration's rows besides").isGreaterThan(10);
                assertBestAccuracies(raw, registry);
                assertThat(raw.get("message").isNull()).as("no message: " + raw.get("message")).isTrue();

                JsonNode smoothed = result.get("smoothed");
                assertThat(smoothed.get("smoothing").asText()).isEqualTo("0.6");
                assertThat(smoothed.get("runs")).extracting(JsonNode::asText).containsExactlyInAnyOrder(FAST, SLOW);
                for (String run : List.of(FAST, SLOW)) {
                    double[] loss = lossOf(registry, run);
                    double[] expected = ema(loss, SMOOTHING);
                    assertThat(last(raw, "chart-loss", run)).as("raw loss drawn").isEqualTo(loss[loss.length - 1]);
                    assertThat(last(smoothed, "chart-loss", run)).as("smoothed loss drawn")
                        .isCloseTo(expected[expected.length - 1], within(1e-12))
                        .isNotEqualTo(loss[loss.length - 1]);
                    assertThat(last(smoothed, "chart-lr", run)).as("the learning rate is never smoothed")
                        .isEqualTo(last(raw, "chart-lr", run));
                }
                assertThat(result.get("ema")).extracting(v -> v.isTextual() ? Double.NaN : v.asDouble())
                    .as("the page's EMA on a fixed series").usingElementComparator((a, b) ->
                        Double.isNaN(a) && Double.isNaN(b) || Math.abs(a - b) < 1e-12 ? 0 : 1)
                    .containsExactly(boxed(ema(EMA_INPUT, SMOOTHING)));
                assertThat(result.get("emaOff")).extracting(JsonNode::asText)
                    .containsExactly("2", "1", "NaN", "4", "3", "0.5");

                JsonNode epochs = result.get("epochs");
                assertThat(epochs.get("x").asText()).isEqualTo("epoch");
                for (String chart : CHARTS) {
                    assertThat(epochs.at("/charts/" + chart)).as(chart).hasSize(2)
                        .allSatisfy(s -> assertThat(s.get("lastX").asDouble()).as(chart + " last x in epochs")
                            .isEqualTo(1.0));
                }
                assertThat(result.at("/shared/x").asText()).as("a shared address opens on its axis").isEqualTo("epoch");
                assertThat(result.at("/shared/smoothing").asText()).isEqualTo("0.6");
                assertThat(result.at("/shared/loss")).extracting(s -> s.get("last").asDouble())
                    .containsExactlyInAnyOrder(last(smoothed, "chart-loss", FAST), last(smoothed, "chart-loss", SLOW));

                assertThat(result.at("/runPage/smoothing").asText()).as("run page slider from its address")
                    .isEqualTo("0.6");
                assertThat(result.at("/runPage/loss/0/last").asDouble()).as("run page draws the smoothed loss")
                    .isEqualTo(last(smoothed, "chart-loss", FAST));

                JsonNode unknown = result.get("unknown");
                assertThat(unknown.get("unknown")).extracting(JsonNode::asText).containsExactly("no-such-run");
                assertThat(unknown.get("message").asText()).contains("Not known to this dashboard (yet): no-such-run");
                assertThat(unknown.at("/charts/chart-loss")).extracting(s -> s.get("label").asText())
                    .containsExactly(FAST);
                assertThat(result.at("/none/message").asText()).contains("No runs selected");

                assertThat(result.get("dialogs")).isEmpty();
                assertThat(result.get("errors")).as("page errors or foreign requests").isEmpty();
                assertThat(Path.of("target/dashboard-compare-page.png")).isNotEmptyFile();
            }
        }
    }

    /**
     * TensorBoard's debiased exponential moving average, written here from its definition: s_n = w s_(n-1) + (1-w) x_n
     * from s_0 = 0, shown as s_n / (1 - w^n); a non-finite value passes through and does not count.
     */
    static double[] ema(double[] values, double weight) {
        double[] out = new double[values.length];
        double accumulated = 0;
        int counted = 0;
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                out[i] = values[i];
                continue;
            }
            accumulated = weight * accumulated + (1 - weight) * values[i];
            counted++;
            out[i] = accumulated / (1 - Math.pow(weight, counted));
        }
        return out;
    }

    private static void assertBestAccuracies(JsonNode state, RunRegistry registry) {
        List<String> columns = new ArrayList<>();
        state.get("columns").forEach(c -> columns.add(c.asText()));
        double top = columns.stream().mapToDouble(run -> bestAccuracy(registry, run)).max().orElseThrow();
        for (int i = 0; i < columns.size(); i++) {
            double best = bestAccuracy(registry, columns.get(i));
            JsonNode cell = state.at("/bestAccuracy/" + i);
            assertThat(cell.get("text").asText()).as(columns.get(i))
                .isEqualTo(String.format(Locale.ROOT, "%.2f%%", best * 100));
            assertThat(cell.get("best").asBoolean()).as(columns.get(i) + " marked best").isEqualTo(best == top);
        }
    }

    private static double bestAccuracy(RunRegistry registry, String run) {
        return registry.detail(run).map(RunDetail::summary).orElseThrow().bestAccuracy();
    }

    private static double testAccuracyAtEnd(RunRegistry registry, String run) {
        return registry.detail(run).orElseThrow().checkpoints().stream().filter(c -> c.step() == STEPS)
            .map(CheckpointRow::testAccuracy).findFirst().orElseThrow();
    }

    private static double[] lossOf(RunRegistry registry, String run) {
        return registry.metrics(run, -1).orElseThrow().series().get("train.loss").stream()
            .mapToDouble(MetricPoint::value).toArray();
    }

    private static double last(JsonNode state, String chart, String run) {
        for (JsonNode series : state.at("/charts/" + chart)) {
            if (series.get("label").asText().equals(run)) {
                return series.get("last").asDouble();
            }
        }
        throw new AssertionError(chart + " draws no series for " + run + ": " + state.at("/charts/" + chart));
    }

    private static Double[] boxed(double[] values) {
        Double[] out = new Double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    /** A tiny MobileNetV1 (width 0.25) with SGD at {@code rate}, one engine thread, metrics every 2 steps. */
    private static TrainerConfig trainerConfig(TrainingPipeline pipeline, String run, double rate, String datasetId) {
        return TrainerConfig.builder(run, pipeline.kafkaBootstrap(), pipeline.s3()).widthMultiplier(0.25)
            .optimizer(OptimizerKind.SGD).learningRate(OptionalDouble.of(rate)).epochs(1).seed(7).datasetId(datasetId)
            .metricsEverySteps(METRICS_EVERY).checkpointEverySteps(CHECKPOINT_EVERY).threads(1)
            .device(DeviceChoice.cpu()).prefetch(4).shardCacheBytes(64L << 20).gracePeriod(Duration.ofSeconds(60))
            .build();
    }
}
