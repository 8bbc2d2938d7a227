package dev.trainstream.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainstream.events.CheckpointCreated;
import dev.trainstream.events.RunLifecycle;
import dev.trainstream.events.RunPhase;
import dev.trainstream.events.TrainingMetrics;
import dev.trainstream.events.topics.Topics;
import dev.trainstream.infra.junit.ChildJvm;
import dev.trainstream.storage.ObjectInfo;
import dev.trainstream.storage.ObjectStore;
import dev.trainstream.storage.checkpoint.CheckpointStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run is finite: once its final checkpoint holds every epoch asked for, starting the trainer again with its run id
 * (a Kubernetes Job or compose restarting a trainer that already succeeded) ends at once with exit status 0, without
 * training, a new checkpoint, a STARTED or a second FINISHED event. A run killed between its final checkpoint and its
 * FINISHED event gets that event, once, from the next life. 2 epochs of 6 steps, checkpoints at 4, 6, 8 and 12.
 */
@ExtendWith(SharedTestBed.class)
class FinishedRunRestartTest {
    private static final Duration LIFE_TIMEOUT = Duration.ofMinutes(2);
    private static final int EPOCHS = 2;
    private static final long FINAL_STEP = (long) EPOCHS * TrainerTestBed.STEPS_PER_EPOCH;

    @TempDir
    static Path dir;
    static TrainerTestBed bed;
    static String datasetId;

    @BeforeAll
    static void ingestThreeEpochs(TrainerTestBed shared) throws Exception {
        bed = shared;
        // One epoch more than the runs train, so only their own budget, not the end of the stream, finishes them.
        datasetId = bed.ingest(41, EPOCHS + 1).datasetId();
    }

    @Test
    void givenAFinishedRun_whenItsTrainerStartsAgain_thenItExits0AtOnceWithoutACheckpointOrAnyEvent() throws Exception {
        String runId = "finished-restarted";
        TrainerSummary first = bed.train(settings(runId));
        assertThat(first.steps()).isEqualTo(FINAL_STEP);
        List<ObjectInfo> checkpointsBefore = checkpointObjects(runId);
        List<CheckpointCreated> announcedBefore = checkpointEvents(runId);
        long metricsBefore = metrics(runId).size();

        String output;
        try (ChildJvm again = ChildTrainer.start(settings(runId), null, dir.resolve(runId + ".log"))) {
            assertThat(again.awaitExit(LIFE_TIMEOUT)).as(again.output()).isZero();
            output = again.output();
        }

        assertThat(lifecycle(runId)).extracting(RunLifecycle::phase).as("the first life's events only")
            .containsExactly(RunPhase.STARTED, RunPhase.FINISHED);
        assertThat(checkpointObjects(runId)).as("no checkpoint written or rewritten").isEqualTo(checkpointsBefore);
        assertThat(checkpointEvents(runId)).as("no checkpoint announced").isEqualTo(announcedBefore);
        assertThat(metrics(runId)).as("no metrics published").hasSize((int) metricsBefore);
        assertThat(output).as("the summary of the second life").contains("SUMMARY " + FINAL_STEP + " " + EPOCHS
            + " 0 false finished-before");
    }

    @Test
    void givenAFinishedRun_whenStartedInProcessTwiceMore_thenEachReturnsItsFinalCheckpointAndNothingIsPublished()
        throws Exception {
        String runId = "finished-twice-more";
        bed.train(settings(runId));
        String finalCheckpoint = checkpointEvents(runId).get(checkpointEvents(runId).size() - 1).checkpointUri();

        TrainerSummary second = bed.train(settings(runId));
        TrainerSummary third = bed.train(settings(runId));

        assertThat(lifecycle(runId)).extracting(RunLifecycle::phase)
            .containsExactly(RunPhase.STARTED, RunPhase.FINISHED);
        for (TrainerSummary again : List.of(second, third)) {
            assertThat(again.finishedBefore()).isTrue();
            assertThat(again.stoppedEarly()).isFalse();
            assertThat(again.steps()).isEqualTo(FINAL_STEP);
            assertThat(again.epochs()).isEqualTo(EPOCHS);
            assertThat(again.datasetId()).isEqualTo(datasetId);
            assertThat(again.lastCheckpointUri()).contains(finalCheckpoint);
        }
    }

    @Test
    void givenARunKilledAfterItsFinalCheckpointBeforeItsFinishedEvent_whenRestarted_thenTheNextLifeAnnouncesFinishedOnceWithoutTraining()
        throws Exception {
        String runId = "killed-before-finished";
        Path log = dir.resolve(runId + "-doomed.log");
        try (ChildJvm doomed = ChildTrainer.start(settings(runId), CrashPoint.AFTER_COMMIT.at(FINAL_STEP), log)) {
            assertThat(doomed.awaitExit(LIFE_TIMEOUT)).as(doomed.output()).isEqualTo(CrashPoint.EXIT_STATUS);
        }
        assertThat(lifecycle(runId)).extracting(RunLifecycle::phase).as("killed before announcing the end")
            .containsExactly(RunPhase.STARTED);
        List<ObjectInfo> checkpointsBefore = checkpointObjects(runId);

        TrainerSummary second = bed.train(settings(runId));
        TrainerSummary third = bed.train(settings(runId));

        List<RunLifecycle> lifecycle = lifecycle(runId);
        assertThat(lifecycle).extracting(RunLifecycle::phase).as("FINISHED announced once, by the second life")
            .containsExactly(RunPhase.STARTED, RunPhase.FINISHED);
        assertThat(lifecycle.get(1).steps()).isEqualTo(FINAL_STEP);
        assertThat(lifecycle.get(1).provenance()).as("the provenance of the final checkpoint")
            .isEqualTo(bed.checkpoint(runId, FINAL_STEP).metadata().provenance());
        assertThat(checkpointObjects(runId)).as("no checkpoint written or rewritten").isEqualTo(checkpointsBefore);
        assertThat(second.finishedBefore()).isTrue();
        assertThat(third.finishedBefore()).isTrue();
    }

    @Test
    void givenAFinishedRun_whenRestartedWithMoreEpochs_thenItTrainsOnFromItsFinalCheckpointAndFinishesAgain()
        throws Exception {
        String runId = "finished-extended";
        bed.train(settings(runId));
        RunSettings longer = settings(runId);
        longer.epochs = EPOCHS + 1;

        TrainerSummary extended = bed.train(longer);

        assertThat(extended.finishedBefore()).isFalse();
        assertThat(extended.steps()).isEqualTo(FINAL_STEP + TrainerTestBed.STEPS_PER_EPOCH);
        List<RunLifecycle> lifecycle = lifecycle(runId);
        assertThat(lifecycle).extracting(RunLifecycle::phase)
            .containsExactly(RunPhase.STARTED, RunPhase.FINISHED, RunPhase.STARTED, RunPhase.FINISHED);
        assertThat(lifecycle).extracting(RunLifecycle::steps)
            .containsExactly(0L, FINAL_STEP, FINAL_STEP, FINAL_STEP + TrainerTestBed.STEPS_PER_EPOCH);
    }

    private static List<ObjectInfo> checkpointObjects(String runId) {
        try (ObjectStore objects = bed.objects()) {
            return new CheckpointStore(objects).listNewestFirst(runId);
        }
    }

    private static List<RunLifecycle> lifecycle(String runId) {
        return bed.events(Topics.RUNS).stream().filter(r -> r.runId().equals(runId)).toList();
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
        return settings;
    }
}
