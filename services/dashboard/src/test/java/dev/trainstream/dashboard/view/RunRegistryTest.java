package dev.trainstream.dashboard.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainstream.dashboard.RunEvents;
import dev.trainstream.events.BatchReference;
import dev.trainstream.events.EvaluationCompleted;
import dev.trainstream.events.EvaluationFailed;
import dev.trainstream.events.MetricRecord;
import dev.trainstream.events.RunLifecycle;
import dev.trainstream.events.RunPhase;
import dev.trainstream.events.ShardSlice;
import dev.trainstream.events.TrainingMetrics;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bounded, idempotent per-run view behind the dashboard and the runs CLI. */
class RunRegistryTest {
    private final RunEvents run = new RunEvents("run-a");

    @Test
    void givenMetricsRedeliveredAfterARestart_whenApplied_thenOneSamplePerStepAndKeyAndTheLatestValueWins() {
        RunRegistry registry = new RunRegistry(ViewLimits.DEFAULT);
        registry.apply(run.metricsAt(10));
        registry.apply(run.metricsAt(20));
        registry.apply(new RunEvents("run-a").metricsAt(20));

        MetricsPage page = registry.metrics("run-a", -1).orElseThrow();
        assertThat(page.series().get("train.loss")).extracting(MetricPoint::step).containsExactly(10L, 20L);
        assertThat(page.series().keySet()).containsExactlyInAnyOrder("train.loss", "train.accuracy", "learning_rate",
            "images_per_second", "data_wait_ms");
        assertThat(page.lastStep()).isEqualTo(20);
    }

    @Test
    void givenSince_whenReadingMetrics_thenOnlyLaterStepsAndLastStepStaysWhenNothingIsNew() {
        RunRegistry registry = new RunRegistry(ViewLimits.DEFAULT);
        for (long step = 5; step <= 30; step += 5) {
            registry.apply(run.metricsAt(step));
        }
        assertThat(registry.metrics("run-a", 15).orElseThrow().series().get("train.loss"))
            .extracting(MetricPoint::step).containsExactly(20L, 25L, 30L);
        MetricsPage nothingNew = registry.metrics("run-a", 30).orElseThrow();
        assertThat(nothingNew.series()).isEmpty();
        assertThat(nothingNew.lastStep()).isEqualTo(30);
        assertThat(registry.metrics("no-such-run", -1)).isEmpty();
    }

    @Test
    void givenMoreSamplesThanTheSeriesCapacity_whenApplied_thenTheOldestStepsAreDropped() {
        RunRegistry registry = new RunRegistry(new ViewLimits(5, 10, 5));
        for (long step = 1; step <= 25; step++) {
            registry.apply(run.metricsAt(step));
        }
        assertThat(registry.metrics("run-a", -1).orElseThrow().series().get("train.loss"))
            .extracting(MetricPoint::step).containsExactly(16L, 17L, 18L, 19L, 20L, 21L, 22L, 23L, 24L, 25L);
        assertThat(registry.summaries().get(0).steps()).isEqualTo(25);
    }

    @Test
    void givenMoreRunsThanTheLimit_whenANewRunArrives_thenTheLeastRecentlyUpdatedRunIsDropped() {
        RunRegistry registry = new RunRegistry(new ViewLimits(2, 10, 5));
        registry.apply(new RunEvents("old").metricsAt(1));
        registry.apply(new RunEvents("newer").metricsAt(50));
        registry.apply(new RunEvents("newest").metricsAt(100));

        assertThat(registry.summaries()).extracting(RunSummary::runId).containsExactly("newest", "newer");
        assertThat(registry.detail("old")).isEmpty();
    }

    @Test
    void givenStartedRunWithCheckpointsAndEvaluations_whenSummarised_thenConfigBestAccuracyAndBestCheckpointShow() {
        RunRegistry registry = new RunRegistry(ViewLimits.DEFAULT);
        registry.apply(run.started());
        registry.apply(run.checkpointAt(20));
        registry.apply(run.checkpointAt(40));
        registry.apply(run.evaluationAt(20, 21, true));
        registry.apply(run.evaluationAt(40, 18, false));
        registry.apply(run.evaluationAt(40, 18, false));

        RunSummary summary = registry.summaries().get(0);
        assertThat(summary.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(summary.datasetId()).isEqualTo("synthetic-3c");
        assertThat(summary.configSummary()).isEqualTo("MobileNetV1 x0.25 @32px, sgd lr 0.1, batch 16, 2 epochs");
        assertThat(summary.bestAccuracy()).isEqualTo(21 / 30.0);
        assertThat(summary.steps()).isEqualTo(40);

        RunDetail detail = registry.detail("run-a").orElseThrow();
        assertThat(detail.checkpoints()).extracting(CheckpointRow::step).containsExactly(20L, 40L);
        assertThat(detail.checkpoints()).extracting(CheckpointRow::best).containsExactly(true, false);
        assertThat(detail.checkpoints()).extracting(CheckpointRow::testAccuracy).containsExactly(21 / 30.0, 18 / 30.0);
        assertThat(detail.provenance()).containsEntry("git.commit", "1d002af");
        assertThat(registry.evaluations("run-a").orElseThrow()).hasSize(2);
    }

    @Test
    void givenCheckpointsAndEpochSamples_whenAnEpochHasEnded_thenStepsPerEpochIsTheLeastStepPerCompletedEpoch() {
        RunRegistry registry = new RunRegistry(ViewLimits.DEFAULT);
        registry.apply(run.checkpointAt(10, 0));
        registry.apply(new TrainingMetrics("run-a", List.of(new MetricRecord("epoch", 0, 1L, 20))));
        assertThat(registry.detail("run-a").orElseThrow().stepsPerEpoch()).as("within the first epoch").isNull();

        registry.apply(new TrainingMetrics("run-a", List.of(new MetricRecord("epoch", 1, 2L, 30))));
        assertThat(registry.detail("run-a").orElseThrow().stepsPerEpoch()).as("a bound from a sample after it")
            .isEqualTo(30);

        registry.apply(run.checkpointAt(50, 2));
        registry.apply(run.checkpointAt(25, 1));
        assertThat(registry.detail("run-a").orElseThrow().stepsPerEpoch()).as("exact from epoch-end checkpoints")
            .isEqualTo(25);
    }

    @Test
    void givenAModelPromotedEvent_whenApplied_thenItMarksTheBestCheckpointWithoutCountingAsAnEvaluation() {
        RunRegistry registry = new RunRegistry(ViewLimits.DEFAULT);
        registry.apply(run.checkpointAt(20));
        registry.apply(run.checkpointAt(40));
        registry.apply(run.evaluationAt(20, 27, false));
        registry.apply(run.evaluationAt(40, 24, false));
        registry.apply(run.promotedAt(40, 0.8));

        assertThat(registry.detail("run-a").orElseThrow().checkpoints()).extracting(CheckpointRow::best)
            .containsExactly(false, true);
        assertThat(registry.evaluations("run-a").orElseThrow()).extracting(EvaluationRow::step)
            .containsExactly(20L, 40L);
    }

    @Test
    void givenAFlipScoredEvaluation_whenRead_thenTheRowSaysHowItWasScored() {
        RunRegistry registry = new RunRegistry(ViewLimits.DEFAULT);
        EvaluationCompleted plain = run.evaluationAt(20, 27, false);
        registry.apply(plain);
        registry.apply(new EvaluationCompleted(plain.runId(), run.checkpointUri(40), plain.checkpointSha256(), 40,
            plain.epoch(), plain.accuracy(), plain.meanLoss(), plain.classes(), plain.perClassAccuracy(),
            plain.confusionMatrix(), plain.examples(), plain.imagesPerSecond(), plain.durationMs(), plain.gate(),
            plain.evaluatedAt().plusSeconds(20), EvaluationCompleted.HORIZONTAL_FLIP));

        assertThat(registry.evaluations("run-a").orElseThrow()).extracting(EvaluationRow::testTimeAugmentation)
            .containsExactly(null, "hflip");
    }

    @Test
    void givenAFailedEvaluationAndAFailedRun_whenRead_thenReasonsAreKeptAndNoAccuracyIsInvented() {
        RunRegistry registry = new RunRegistry(ViewLimits.DEFAULT);
        registry.apply(run.started());
        registry.apply(new EvaluationFailed("run-a", run.checkpointUri(20), 20, "sha256 mismatch",
            RunEvents.T0.plusSeconds(30)));
        registry.apply(run.failed(33, "shard missing"));

        RunSummary summary = registry.summaries().get(0);
        assertThat(summary.status()).isEqualTo(RunStatus.FAILED);
        assertThat(summary.failureReason()).isEqualTo("shard missing");
        assertThat(summary.bestAccuracy()).isNull();
        assertThat(summary.steps()).isEqualTo(33);
        EvaluationRow failed = registry.evaluations("run-a").orElseThrow().get(0);
        assertThat(failed.completed()).isFalse();
        assertThat(failed.reason()).isEqualTo("sha256 mismatch");
        assertThat(failed.accuracy()).isNull();
    }

    @Test
    void givenARunStoppedBySigterm_whenReadAndThenResumed_thenItIsStoppedUntilItStartsAgain() {
        RunRegistry registry = new RunRegistry(ViewLimits.DEFAULT);
        registry.apply(run.started());
        registry.apply(new RunLifecycle("run-a", RunPhase.STOPPED, RunEvents.T0.plusSeconds(40), null, Map.of(), 17,
            "stop requested after 1 of 3 epochs"));

        RunSummary stopped = registry.summaries().get(0);
        assertThat(stopped.status()).isEqualTo(RunStatus.STOPPED);
        assertThat(stopped.status().label()).isEqualTo("stopped");
        assertThat(stopped.failureReason()).isNull();
        assertThat(stopped.steps()).isEqualTo(17);

        registry.apply(run.started());
        assertThat(registry.summaries().get(0).status()).isEqualTo(RunStatus.RUNNING);
    }

    @Test
    void givenAnEventTheDashboardDoesNotShow_whenApplied_thenRejectedByName() {
        RunRegistry registry = new RunRegistry(ViewLimits.DEFAULT);
        BatchReference batch = new BatchReference("d", "datasets/d/manifest.json", 0, 0, 1, 1,
            List.of(new ShardSlice(RunEvents.SHA, List.of(0))));
        assertThatThrownBy(() -> registry.apply(batch)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("BatchReference");
    }

    @Test
    void givenInvalidLimits_whenConstructed_thenTheSettingIsNamed() {
        assertThatThrownBy(() -> new ViewLimits(0, 10, 1)).hasMessageContaining("runs");
        assertThatThrownBy(() -> new ViewLimits(1, 9, 1)).hasMessageContaining("pointsPerSeries");
        assertThatThrownBy(() -> new ViewLimits(1, 10, 0)).hasMessageContaining("checkpointsPerRun");
    }
}
