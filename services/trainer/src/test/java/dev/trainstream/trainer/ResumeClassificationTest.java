package dev.trainstream.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.trainstream.engine.training.DeviceChoice;
import dev.trainstream.engine.training.EngineOptions;
import dev.trainstream.events.RunLifecycle;
import dev.trainstream.events.RunPhase;
import dev.trainstream.events.topics.Topics;
import dev.trainstream.ops.lifecycle.StopAwareBackoff;
import dev.trainstream.storage.ObjectStore;
import dev.trainstream.storage.checkpoint.CheckpointArchive;
import dev.trainstream.storage.checkpoint.CheckpointLayout;
import dev.trainstream.storage.checkpoint.CheckpointStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a resume may skip and what it must not: only a checkpoint proven unusable is passed over (see
 * {@link CheckpointRecoveryTest}); a newer format, an engine that cannot restore, or an S3 outage never make the run
 * fall back to an older checkpoint or to step 0 under the same run id. 2 epochs of 6 steps, checkpoints at 4, 6, 8, 12.
 */
@ExtendWith(SharedTestBed.class)
class ResumeClassificationTest {
    private static final long FINAL_STEP = 2L * TrainerTestBed.STEPS_PER_EPOCH;
    private static final StopAwareBackoff QUICK = new StopAwareBackoff(Duration.ofMillis(100), Duration.ofMillis(400));
    private static final EngineOptions CPU = new EngineOptions(1, DeviceChoice.cpu());

    static TrainerTestBed bed;
    static String datasetId;

    @BeforeAll
    static void ingest(TrainerTestBed shared) throws Exception {
        bed = shared;
        datasetId = bed.ingest(33, 2).datasetId();
    }

    @Test
    void givenTheNewestCheckpointOfANewerFormat_whenTheRunRestarts_thenItFailsNamingItAndNothingIsRetrainedOrOverwritten()
        throws Exception {
        String runId = "newer-format";
        bed.train(bed.settings(runId, datasetId));
        String newestKey = CheckpointLayout.checkpointKey(runId, FINAL_STEP);
        byte[] newer;
        try (ObjectStore objects = bed.objects()) {
            CheckpointArchive archive = CheckpointArchive.decode(objects.get(newestKey), newestKey);
            CheckpointArchive.Metadata m = archive.metadata();
            newer = new CheckpointArchive(new CheckpointArchive.Metadata(CheckpointArchive.Metadata.FORMAT_VERSION + 1,
                m.runId(), m.step(), m.epoch(), m.batchesConsumed(), m.datasetId(), m.manifestKey(), m.classes(),
                m.nextOffsets(), m.provenance(), m.createdAt()), archive.engineState()).encode();
            objects.put(newestKey, newer, "application/zip");
        }

        assertThatThrownBy(() -> bed.train(bed.settings(runId, datasetId))).isInstanceOf(ResumeFailedException.class)
            .hasMessageContaining(newestKey).hasMessageContaining("format version "
                + (CheckpointArchive.Metadata.FORMAT_VERSION + 1));

        List<RunLifecycle> runs = runEvents(runId);
        assertThat(runs).filteredOn(r -> r.phase() == RunPhase.STARTED).extracting(RunLifecycle::steps)
            .as("no second life from an older checkpoint or from step 0").containsExactly(0L);
        assertThat(runs).filteredOn(r -> r.phase() == RunPhase.FAILED).singleElement()
            .satisfies(f -> assertThat(f.reason()).contains(newestKey).contains("newer than this build reads"));
        try (ObjectStore objects = bed.objects()) {
            assertThat(objects.get(newestKey)).as("the newer checkpoint is left as it was").isEqualTo(newer);
        }
    }

    @Test
    void givenAnEngineThatCannotRestore_whenTheRunRestarts_thenItFailsNamingTheNewestCheckpointInsteadOfStartingOver()
        throws Exception {
        String runId = "engine-cannot-restore";
        bed.train(bed.settings(runId, datasetId));
        RunSettings onMissingGpu = bed.settings(runId, datasetId);
        onMissingGpu.device = DeviceChoice.gpus(0);

        assertThatThrownBy(() -> bed.train(onMissingGpu)).isInstanceOf(ResumeFailedException.class)
            .hasMessageContaining(CheckpointLayout.checkpointKey(runId, FINAL_STEP))
            .hasMessageContaining("GPU");

        assertThat(runEvents(runId)).filteredOn(r -> r.phase() == RunPhase.STARTED).extracting(RunLifecycle::steps)
            .containsExactly(0L);
        assertThat(runEvents(runId)).filteredOn(r -> r.phase() == RunPhase.WARNING).as("nothing was skipped").isEmpty();
    }

    @Test
    void givenS3DownWhileLookingForACheckpoint_whenItComesBack_thenTheSearchWaitedAndFindsTheNewest() throws Exception {
        String runId = "resume-through-outage";
        bed.train(bed.settings(runId, datasetId));
        List<String> skipped = new ArrayList<>();
        CompletableFuture<Optional<ResumePoint>> search;
        try (ObjectStore objects = bed.objects()) {
            bed.infra().s3().stop();
            try {
                search = CompletableFuture.supplyAsync(() -> find(objects, runId, skipped, () -> false));
                await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                    .alias("still waiting while S3 is down").until(() -> !search.isDone());
            } finally {
                bed.infra().s3().start();
            }
            Optional<ResumePoint> found = search.get(60, TimeUnit.SECONDS);
            assertThat(found).hasValueSatisfying(point -> {
                assertThat(point.metadata().step()).isEqualTo(FINAL_STEP);
                point.session().close();
            });
        }
        assertThat(skipped).as("an outage proves nothing corrupt").isEmpty();
    }

    @Test
    void givenS3DownWhileLookingForACheckpoint_whenTheServiceIsStopped_thenTheSearchReturnsPromptlyWithNothing()
        throws Exception {
        AtomicBoolean stopping = new AtomicBoolean();
        try (ObjectStore objects = bed.objects()) {
            bed.infra().s3().stop();
            try {
                CompletableFuture<Optional<ResumePoint>> search = CompletableFuture.supplyAsync(
                    () -> find(objects, "stopped-during-outage", new ArrayList<>(), stopping::get));
                await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> !search.isDone());
                stopping.set(true);
                assertThat(search.get(10, TimeUnit.SECONDS)).isEmpty();
            } finally {
                bed.infra().s3().start();
            }
        }
    }

    private static Optional<ResumePoint> find(ObjectStore objects, String runId, List<String> skipped,
                                              BooleanSupplier stopping) {
        try {
            return ResumePoint.find(new CheckpointStore(objects), runId, CPU, skipped, QUICK, stopping);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<RunLifecycle> runEvents(String runId) {
        return bed.events(Topics.RUNS).stream().filter(r -> r.runId().equals(runId)).toList();
    }
}
