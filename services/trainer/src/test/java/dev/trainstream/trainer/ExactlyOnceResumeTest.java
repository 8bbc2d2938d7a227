package dev.trainstream.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trainstream.engine.state.TensorRecord;
import dev.trainstream.events.CheckpointCreated;
import dev.trainstream.events.RunLifecycle;
import dev.trainstream.events.RunPhase;
import dev.trainstream.events.TrainingMetrics;
import dev.trainstream.events.topics.Topics;
import dev.trainstream.infra.junit.ChildJvm;
import dev.trainstream.storage.checkpoint.CheckpointArchive;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once training whatever ends the process: a trainer killed (SIGKILL) at each point of the step/checkpoint
 * protocol, or stopped (SIGTERM), and restarted with the same run id, ends with the very parameters (bit for bit: CPU,
 * one thread, same seed) of a run that was never interrupted, having trained every batch exactly once, and each
 * restart resumed from the checkpoint it should have.
 *
 * <p>2 epochs of 6 steps; checkpoints every 4 steps and at epoch ends, so at steps 4, 6, 8 and 12. Doomed lives run
 * in child JVMs; the final life runs in this JVM (same engine settings, so the same arithmetic).
 */
@ExtendWith(SharedTestBed.class)
class ExactlyOnceResumeTest {
    private static final Duration LIFE_TIMEOUT = Duration.ofMinutes(2);
    private static final int EPOCHS = 2;
    private static final long FINAL_STEP = (long) EPOCHS * TrainerTestBed.STEPS_PER_EPOCH;

    @TempDir
    static Path dir;
    static TrainerTestBed bed;
    static String datasetId;
    static List<TensorRecord> uninterrupted;
    static CheckpointArchive.Metadata uninterruptedFinal;

    @BeforeAll
    static void trainTheUninterruptedReference(TrainerTestBed shared) throws Exception {
        bed = shared;
        datasetId = bed.ingest(11, EPOCHS).datasetId();
        TrainerSummary reference = bed.train(settings("reference"));
        assertThat(reference.steps()).isEqualTo(FINAL_STEP);
        uninterrupted = bed.parameters("reference", FINAL_STEP);
        uninterruptedFinal = bed.checkpoint("reference", FINAL_STEP).metadata();
        assertThat(uninterruptedFinal.epoch()).isEqualTo(EPOCHS);
        assertThat(uninterruptedFinal.batchesConsumed()).isEqualTo(FINAL_STEP);
    }

    @Test
    void givenOneRunKilledAtEveryPointOfTheCheckpointProtocolInTurn_whenRestartedEachTime_thenEachLifeResumesFromTheNewestCheckpointAndTheModelIsBitwiseTheUninterruptedOne()
        throws Exception {
        String runId = "crash-chain";
        // life 1: checkpoint 4 committed, retention not yet run
        killAt(runId, CrashPoint.AFTER_COMMIT, 4);
        // life 2 (resumes at 4): step 5 applied to the weights in memory, its offset not yet recorded
        killAt(runId, CrashPoint.AFTER_STEP, 5);
        // life 3 (resumes at 4 again): epoch-end checkpoint 6 announced, the group's offsets not committed
        killAt(runId, CrashPoint.BEFORE_COMMIT, 6);
        // life 4 (resumes at 6): checkpoint 8 durable in S3, its event not yet published
        killAt(runId, CrashPoint.AFTER_OBJECT, 8);

        TrainerSummary last = bed.train(settings(runId));

        assertThat(last.steps()).isEqualTo(FINAL_STEP);
        assertThat(last.epochs()).isEqualTo(EPOCHS);
        assertThat(starts(runId)).as("the step each life started at")
            .extracting(RunLifecycle::steps).containsExactly(0L, 4L, 4L, 6L, 8L);
        // The unannounced object at 8 was a complete checkpoint, resumed from; it stays unannounced (harmless).
        assertThat(checkpointEvents(runId)).extracting(CheckpointCreated::step).containsExactly(4L, 6L, FINAL_STEP);
        thenFinalCheckpointEqualsTheUninterruptedOne(runId);
    }

    @Test
    void givenTrainerSigkilledOnceItsMetricsForStep5AreOut_whenRestarted_thenTheModelIsBitwiseTheUninterruptedOne()
        throws Exception {
        String runId = "sigkill-mid-run";
        try (ChildJvm doomed = ChildTrainer.start(settings(runId), null, dir.resolve(runId + ".log"))) {
            awaitMetricsFor(runId, 5);
            doomed.process().destroyForcibly();
            assertThat(doomed.awaitExit(Duration.ofSeconds(30))).isEqualTo(CrashPoint.EXIT_STATUS);
        }

        TrainerSummary last = bed.train(settings(runId));

        assertThat(last.steps()).isEqualTo(FINAL_STEP);
        assertThat(starts(runId)).extracting(RunLifecycle::steps).as("resumed at a checkpointed step")
            .hasSize(2).element(1).isIn(0L, 4L, 6L, 8L);
        thenFinalCheckpointEqualsTheUninterruptedOne(runId);
    }

    @Test
    void givenTrainerSigtermedMidRun_whenItStops_thenItExitsUnfinishedAfterCheckpointingItsLastStep_andARestartEndsBitwiseTheUninterruptedModel()
        throws Exception {
        String runId = "sigterm-mid-run";
        try (ChildJvm stopping = ChildTrainer.start(settings(runId), null, dir.resolve(runId + ".log"))) {
            awaitMetricsFor(runId, 3);
            stopping.process().destroy();
            // 75, not 143: the SIGTERM hook saw the run checkpoint and close, then chose the exit status, which says
            // the run is unfinished (not 0, or a Kubernetes Job would count the run as done).
            assertThat(stopping.awaitExit(Duration.ofSeconds(60))).as(stopping.output())
                .isEqualTo(TrainerSummary.EXIT_UNFINISHED);
        }
        long lastTrained = metrics(runId).stream().mapToLong(m -> m.metrics().get(0).step()).max().orElseThrow();
        assertThat(lastTrained).as("stopped before the end").isLessThan(FINAL_STEP);
        assertThat(checkpointEvents(runId)).as("a checkpoint event at the last trained step").last()
            .extracting(CheckpointCreated::step).isEqualTo(lastTrained);
        List<RunLifecycle> lifecycle = bed.events(Topics.RUNS).stream().filter(r -> r.runId().equals(runId)).toList();
        assertThat(lifecycle).extracting(RunLifecycle::phase).containsExactly(RunPhase.STARTED, RunPhase.STOPPED);
        assertThat(lifecycle.get(1).steps()).as("STOPPED names the last trained step").isEqualTo(lastTrained);
        String lastCheckpoint = checkpointEvents(runId).get(checkpointEvents(runId).size() - 1).checkpointUri();
        assertThat(lifecycle.get(1).reason()).as("STOPPED names the final checkpoint").contains(lastCheckpoint)
            .contains("resume");

        TrainerSummary last = bed.train(settings(runId));

        assertThat(last.steps()).isEqualTo(FINAL_STEP);
        assertThat(starts(runId)).extracting(RunLifecycle::steps).containsExactly(0L, lastTrained);
        assertThat(bed.events(Topics.RUNS).stream().filter(r -> r.runId().equals(runId)))
            .extracting(RunLifecycle::phase)
            .containsExactly(RunPhase.STARTED, RunPhase.STOPPED, RunPhase.STARTED, RunPhase.FINISHED);
        thenFinalCheckpointEqualsTheUninterruptedOne(runId);
    }

    private static void killAt(String runId, CrashPoint point, long step) throws InterruptedException {
        Path log = dir.resolve(runId + "-" + point.label() + ".log");
        try (ChildJvm doomed = ChildTrainer.start(settings(runId), point.at(step), log)) {
            assertThat(doomed.awaitExit(LIFE_TIMEOUT)).as(doomed.output()).isEqualTo(CrashPoint.EXIT_STATUS);
        }
    }

    private static void awaitMetricsFor(String runId, long step) {
        await().atMost(LIFE_TIMEOUT).pollInterval(Duration.ofMillis(100))
            .until(() -> metrics(runId).stream().anyMatch(m -> m.metrics().get(0).step() >= step));
    }

    private static void thenFinalCheckpointEqualsTheUninterruptedOne(String runId) throws Exception {
        CheckpointArchive.Metadata last = bed.checkpoint(runId, FINAL_STEP).metadata();
        // Every batch reference was trained exactly once from the model's point of view.
        assertThat(last.step()).isEqualTo(FINAL_STEP);
        assertThat(last.epoch()).isEqualTo(EPOCHS);
        assertThat(last.batchesConsumed()).isEqualTo(uninterruptedFinal.batchesConsumed());
        assertThat(last.nextOffsets()).isEqualTo(uninterruptedFinal.nextOffsets());
        assertThat(bed.parameters(runId, FINAL_STEP)).as("parameters and BN statistics, bit for bit")
            .isEqualTo(uninterrupted);
        assertThat(checkpointEvents(runId)).last().satisfies(c -> {
            assertThat(c.step()).isEqualTo(FINAL_STEP);
            assertThat(c.epoch()).isEqualTo(EPOCHS);
        });
        assertThat(bed.events(Topics.RUNS).stream().filter(r -> r.runId().equals(runId)))
            .extracting(RunLifecycle::phase).containsOnlyOnce(RunPhase.FINISHED);
    }

    private static List<RunLifecycle> starts(String runId) {
        return bed.events(Topics.RUNS).stream().filter(r -> r.runId().equals(runId))
            .filter(r -> r.phase() == RunPhase.STARTED).toList();
    }

    private static List<CheckpointCreated> checkpointEvents(String runId) {
        return bed.events(Topics.CHECKPOINTS).stream().filter(c -> c.runId().equals(runId)).toList();
    }

    private static List<TrainingMetrics> metrics(String runId) {
        return bed.events(Topics.METRICS).stream().filter(m -> m.runId().equals(runId)).toList();
    }

    private static RunSettings settings(String runId) {
        RunSettings settings = bed.settings(runId, datasetId);
        settings.epochs = EPOCHS;
        settings.checkpointEverySteps = 4;
        settings.metricsEverySteps = 1;
        return settings;
    }
}
