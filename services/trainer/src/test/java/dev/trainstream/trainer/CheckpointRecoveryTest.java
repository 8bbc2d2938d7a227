package dev.trainstream.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainstream.engine.state.TensorRecord;
import dev.trainstream.engine.state.TrainingStateArchive;
import dev.trainstream.events.CheckpointCreated;
import dev.trainstream.events.RunLifecycle;
import dev.trainstream.events.RunPhase;
import dev.trainstream.events.consume.CommitStamp;
import dev.trainstream.events.topics.Topics;
import dev.trainstream.storage.ObjectInfo;
import dev.trainstream.storage.ObjectStore;
import dev.trainstream.storage.checkpoint.BestModelPointer;
import dev.trainstream.storage.checkpoint.BestModelStore;
import dev.trainstream.storage.checkpoint.CheckpointArchive;
import dev.trainstream.storage.checkpoint.CheckpointLayout;
import dev.trainstream.storage.checkpoint.CheckpointStore;
import dev.trainstream.storage.dataset.DatasetStore;
import dev.trainstream.storage.dataset.PixelStatistics;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Checkpoints as a resume depends on them: a corrupt newest one is skipped for the previous one, retention keeps the
 * newest K plus the best, and the time-based cadence checkpoints as configured. 2 epochs of 6 steps.
 */
@ExtendWith(SharedTestBed.class)
class CheckpointRecoveryTest {
    private static final long FINAL_STEP = 2L * TrainerTestBed.STEPS_PER_EPOCH;

    static TrainerTestBed bed;
    static String datasetId;

    @BeforeAll
    static void ingest(TrainerTestBed shared) throws Exception {
        bed = shared;
        datasetId = bed.ingest(21, 2).datasetId();
    }

    @Test
    void givenTheNewestCheckpointOverwrittenWithGarbage_whenTheRunRestarts_thenItResumesFromThePreviousOneAndRetrainsToTheSameModel()
        throws Exception {
        String runId = "corrupt-newest";
        bed.train(settings(runId));
        List<TensorRecord> trained = bed.parameters(runId, FINAL_STEP);
        try (ObjectStore objects = bed.objects()) {
            objects.put(CheckpointLayout.checkpointKey(runId, FINAL_STEP), "not a checkpoint".getBytes(
                StandardCharsets.UTF_8), "application/octet-stream");
        }

        TrainerSummary again = bed.train(settings(runId));

        assertThat(again.steps()).isEqualTo(FINAL_STEP);
        assertThat(bed.events(Topics.RUNS).stream().filter(r -> r.runId().equals(runId))
            .filter(r -> r.phase() == RunPhase.STARTED)).extracting(RunLifecycle::steps)
            .as("the second life resumed from step 8, the newest readable checkpoint").containsExactly(0L, 8L);
        assertThat(bed.events(Topics.RUNS).stream().filter(r -> r.runId().equals(runId))
            .filter(r -> r.phase() == RunPhase.WARNING)).singleElement()
            .satisfies(w -> assertThat(w.reason()).contains(CheckpointLayout.checkpointKey(runId, FINAL_STEP))
                .contains("unusable"));
        assertThat(bed.parameters(runId, FINAL_STEP)).as("steps 9-12 retrained from step 8 give the same weights")
            .isEqualTo(trained);
        assertThat(bed.checkpoint(runId, FINAL_STEP).metadata().batchesConsumed()).isEqualTo(FINAL_STEP);
        // The run normalised with its dataset's own statistics (measured at ingest), and its checkpoint carries them
        // for the evaluator and the export.
        CheckpointArchive archive = bed.checkpoint(runId, FINAL_STEP);
        PixelStatistics measured;
        try (var store = bed.objects()) {
            measured = new DatasetStore(store)
                .readManifest(archive.metadata().manifestKey()).pixelStatistics();
        }
        var saved = TrainingStateArchive.read(
            new ByteArrayInputStream(archive.engineState())).config().channelStatistics();
        assertThat(saved).isNotNull();
        assertThat(saved.mean()).isEqualTo(measured.mean());
        assertThat(saved.std()).isEqualTo(measured.std());
    }

    @Test
    void givenEveryCheckpointCorrupt_whenTheRunRestarts_thenItStartsAfreshInsteadOfFailing() throws Exception {
        String runId = "all-corrupt";
        RunSettings settings = settings(runId);
        try (ObjectStore objects = bed.objects()) {
            for (long step : new long[] {4, 6}) {
                objects.put(CheckpointLayout.checkpointKey(runId, step), new byte[] {1, 2, 3},
                    "application/octet-stream");
            }
        }

        TrainerSummary summary = bed.train(settings);

        assertThat(summary.steps()).isEqualTo(FINAL_STEP);
        assertThat(bed.events(Topics.RUNS).stream().filter(r -> r.runId().equals(runId))
            .filter(r -> r.phase() == RunPhase.STARTED)).extracting(RunLifecycle::steps).containsExactly(0L);
    }

    @Test
    void givenKeepTwoAndABestPointer_whenTheRunCheckpointsFourTimes_thenOnlyTheNewestTwoAndTheBestRemain() {
        String runId = "retention";
        RunSettings settings = settings(runId);
        settings.keepCheckpoints = 2;
        String bestKey = CheckpointLayout.checkpointKey(runId, 4);
        try (ObjectStore objects = bed.objects()) {
            new BestModelStore(objects).replace(new BestModelPointer(runId, objects.uri(bestKey).toString(), "00", 4, 1,
                0.5, 1.0, Instant.parse("2026-01-01T00:00:00Z"), null, null, null));
        }

        assertThat(trainQuietly(settings).steps()).isEqualTo(FINAL_STEP);

        assertThat(checkpointEvents(runId)).extracting(CheckpointCreated::step).containsExactly(4L, 6L, 8L, FINAL_STEP);
        try (ObjectStore objects = bed.objects()) {
            assertThat(new CheckpointStore(objects).listNewestFirst(runId)).extracting(ObjectInfo::key)
                .containsExactly(CheckpointLayout.checkpointKey(runId, FINAL_STEP),
                    CheckpointLayout.checkpointKey(runId, 8), bestKey);
        }
    }

    @Test
    void givenAnUnreadableBestPointer_whenRetentionRuns_thenNothingIsDeleted() {
        String runId = "retention-unreadable-best";
        RunSettings settings = settings(runId);
        settings.keepCheckpoints = 2;
        try (ObjectStore objects = bed.objects()) {
            objects.put(CheckpointLayout.bestPointerKey(runId), "{\"checkpointUri\": 42".getBytes(StandardCharsets.UTF_8),
                "application/json");
        }

        assertThat(trainQuietly(settings).steps()).isEqualTo(FINAL_STEP);

        try (ObjectStore objects = bed.objects()) {
            assertThat(new CheckpointStore(objects).listNewestFirst(runId)).extracting(ObjectInfo::key)
                .as("any of them could be the best one").containsExactly(CheckpointLayout.checkpointKey(runId, FINAL_STEP),
                    CheckpointLayout.checkpointKey(runId, 8), CheckpointLayout.checkpointKey(runId, 6),
                    CheckpointLayout.checkpointKey(runId, 4));
        }
    }

    @Test
    void givenAnEvaluatorBehindTheTrainer_whenRetentionRuns_thenUnscoredNewerCheckpointsAreKept() {
        String runId = "retention-pending";
        RunSettings settings = settings(runId);
        settings.keepCheckpoints = 2;
        try (ObjectStore objects = bed.objects()) {
            // The evaluator has scored up to step 2 and not beyond: every later checkpoint is still pending for it.
            objects.put(CheckpointLayout.evaluationKey(runId, CheckpointLayout.checkpointKey(runId, 2)),
                "{}".getBytes(StandardCharsets.UTF_8), "application/json");
        }

        assertThat(trainQuietly(settings).steps()).isEqualTo(FINAL_STEP);

        try (ObjectStore objects = bed.objects()) {
            assertThat(new CheckpointStore(objects).listNewestFirst(runId)).extracting(ObjectInfo::key)
                .containsExactly(CheckpointLayout.checkpointKey(runId, FINAL_STEP), CheckpointLayout.checkpointKey(runId, 8),
                    CheckpointLayout.checkpointKey(runId, 6), CheckpointLayout.checkpointKey(runId, 4));
        }
    }

    @Test
    void givenNoEvaluationYetAndAnHourOfHold_whenRetentionRuns_thenUnscoredCheckpointsWaitForALateEvaluator() {
        String runId = "retention-before-first-evaluation";
        RunSettings settings = settings(runId);
        settings.keepCheckpoints = 2;
        settings.evaluationHoldMillis = Duration.ofHours(1).toMillis();

        assertThat(trainQuietly(settings).steps()).isEqualTo(FINAL_STEP);

        try (ObjectStore objects = bed.objects()) {
            assertThat(new CheckpointStore(objects).listNewestFirst(runId)).extracting(ObjectInfo::key)
                .as("an evaluator starting late still finds every checkpoint (they used to be deleted beyond keep)")
                .containsExactly(CheckpointLayout.checkpointKey(runId, FINAL_STEP), CheckpointLayout.checkpointKey(runId, 8),
                    CheckpointLayout.checkpointKey(runId, 6), CheckpointLayout.checkpointKey(runId, 4));
        }
    }

    @Test
    void givenATimeCadenceShorterThanAStep_whenTraining_thenEveryStepIsCheckpointedAndEpochEndsOnlyOnce() {
        String runId = "every-millisecond";
        RunSettings settings = settings(runId);
        settings.checkpointEverySteps = 0;
        settings.checkpointIntervalMillis = 1;

        assertThat(trainQuietly(settings).steps()).isEqualTo(FINAL_STEP);

        assertThat(checkpointEvents(runId)).extracting(CheckpointCreated::step)
            .containsExactlyElementsOf(LongStream.rangeClosed(1, FINAL_STEP).boxed().toList());
        assertThat(checkpointEvents(runId)).filteredOn(c -> c.step() == TrainerTestBed.STEPS_PER_EPOCH)
            .singleElement().extracting(CheckpointCreated::epoch).as("step 6 is checkpointed at its epoch end")
            .isEqualTo(1);
    }

    @Test
    void givenARunThatCheckpointed_whenItsGroupsOffsetsAreRead_thenEachCarriesTheRunAndTheTimeOfItsLastCheckpoint()
        throws Exception {
        String runId = "stamped-commits";
        RunSettings settings = settings(runId);
        Instant before = Instant.now();

        trainQuietly(settings);
        Instant after = Instant.now();

        Map<TopicPartition, OffsetAndMetadata> committed;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            bed.infra().kafka().bootstrapServers()))) {
            committed = admin.listConsumerGroupOffsets(settings.toConfig().consumerGroup())
                .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        }
        assertThat(committed).isNotEmpty().allSatisfy((tp, offset) -> {
            assertThat(tp.topic()).isEqualTo(Topics.BATCHES.name());
            CommitStamp stamp = CommitStamp.parse(offset.metadata()).orElseThrow(() -> new AssertionError(
                "offset of " + tp + " has no commit stamp: '" + offset.metadata() + "'"));
            assertThat(stamp.runId()).isEqualTo(runId);
            assertThat(stamp.committedAt()).isBetween(before, after);
        });
    }

    private static TrainerSummary trainQuietly(RunSettings settings) {
        try {
            return bed.train(settings);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static List<CheckpointCreated> checkpointEvents(String runId) {
        return bed.events(Topics.CHECKPOINTS).stream().filter(c -> c.runId().equals(runId)).toList();
    }

    private static RunSettings settings(String runId) {
        RunSettings settings = bed.settings(runId, datasetId);
        settings.checkpointEverySteps = 4;
        return settings;
    }
}
