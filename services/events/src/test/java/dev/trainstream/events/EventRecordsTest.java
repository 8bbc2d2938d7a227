package dev.trainstream.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Specification: records reject invalid values at construction, naming the field, and are immutable. */
class EventRecordsTest {

    @Test
    void givenBatchReference_whenCountingRecords_thenSumsIndicesOfAllSlices() {
        assertThat(SampleEvents.batchReference().recordCount()).isEqualTo(6);
    }

    @Test
    void givenMutableInputList_whenRecordBuilt_thenLaterChangesDoNotLeakIn() {
        List<Integer> indices = new ArrayList<>(List.of(1, 2));
        ShardSlice slice = new ShardSlice(SampleEvents.SHARD_A, indices);

        indices.add(3);

        assertThat(slice.indices()).containsExactly(1, 2);
        assertThatThrownBy(() -> slice.indices().add(4)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void givenBlankDatasetId_whenBuildingBatchReference_thenRejectedNamingDatasetId() {
        assertThatThrownBy(() -> new BatchReference(" ", "m", 0, 0, 1, 1,
                List.of(new ShardSlice(SampleEvents.SHARD_A, List.of(0)))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("datasetId");
    }

    @Test
    void givenNoEntries_whenBuildingBatchReference_thenRejectedNamingEntries() {
        assertThatThrownBy(() -> new BatchReference("d", "m", 0, 0, 1, 1, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("entries");
    }

    @Test
    void givenUpperCaseOrShortDigest_whenBuildingShardSlice_thenRejectedNamingShardDigest() {
        assertThatThrownBy(() -> new ShardSlice(SampleEvents.SHARD_A.toUpperCase(), List.of(0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("shardDigest");
        assertThatThrownBy(() -> new ShardSlice("abc", List.of(0)))
                .hasMessageStartingWith("shardDigest");
    }

    @Test
    void givenNegativeIndex_whenBuildingShardSlice_thenRejectedNamingTheIndex() {
        assertThatThrownBy(() -> new ShardSlice(SampleEvents.SHARD_A, List.of(0, -5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("indices[1]");
    }

    @Test
    void givenNegativeRecords_whenBuildingEpochCompleted_thenRejectedNamingRecords() {
        assertThatThrownBy(() -> new EpochCompleted("d", 0, 1, -1L))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("records");
    }

    @Test
    void givenNaNValue_whenBuildingMetricRecord_thenRejectedBecauseJsonCannotCarryIt() {
        assertThatThrownBy(() -> new MetricRecord("train.loss", Double.NaN, 0L, 0L))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("value");
    }

    @Test
    void givenAccuracyAboveOne_whenBuildingCheckpoint_thenRejectedNamingTrainAccuracy() {
        CheckpointCreated c = SampleEvents.checkpointCreated();
        assertThatThrownBy(() -> new CheckpointCreated(c.runId(), c.checkpointUri(), c.sha256(), c.sizeBytes(),
                c.step(), c.epoch(), c.datasetId(), c.manifestKey(), c.batchOffsets(), c.model(), c.trainLoss(), 1.5,
                c.createdAt()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("trainAccuracy");
    }

    @Test
    void givenNonSquareConfusionMatrix_whenBuildingEvaluation_thenRejectedNamingTheRow() {
        EvaluationCompleted e = SampleEvents.evaluationCompleted();
        List<List<Long>> matrix = new ArrayList<>(e.confusionMatrix());
        matrix.set(3, List.of(1L, 2L));

        assertThatThrownBy(() -> new EvaluationCompleted(e.runId(), e.checkpointUri(), e.checkpointSha256(), e.step(),
                e.epoch(), e.accuracy(), e.meanLoss(), e.classes(), e.perClassAccuracy(), matrix, e.examples(),
                e.imagesPerSecond(), e.durationMs(), e.gate(), e.evaluatedAt(), e.testTimeAugmentation()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("confusionMatrix[3]");
    }

    @Test
    void givenUnknownTestTimeAugmentation_whenBuildingEvaluation_thenRejectedNamingTheValue() {
        EvaluationCompleted e = SampleEvents.evaluationCompleted();

        assertThatThrownBy(() -> new EvaluationCompleted(e.runId(), e.checkpointUri(), e.checkpointSha256(), e.step(),
                e.epoch(), e.accuracy(), e.meanLoss(), e.classes(), e.perClassAccuracy(), e.confusionMatrix(),
                e.examples(), e.imagesPerSecond(), e.durationMs(), e.gate(), e.evaluatedAt(), "none"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("testTimeAugmentation").hasMessageContaining("\"none\"");
    }

    @Test
    void givenPromotedButNotPassed_whenBuildingGateDecision_thenRejected() {
        assertThatThrownBy(() -> new GateDecision(false, true, "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("promoted");
    }

    @Test
    void givenPreviousUriWithoutPreviousAccuracy_whenBuildingModelPromoted_thenRejectedNamingBoth() {
        ModelPromoted p = SampleEvents.modelPromoted();

        assertThatThrownBy(() -> new ModelPromoted(p.runId(), p.checkpointUri(), p.checkpointSha256(), p.step(),
                p.epoch(), p.accuracy(), p.meanLoss(), p.bestPointerUri(), p.previousCheckpointUri(), null, p.reason(),
                p.promotedAt()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("previousCheckpointUri and previousAccuracy");
    }

    @Test
    void givenAccuracyAboveOne_whenBuildingModelPromoted_thenRejectedNamingAccuracy() {
        ModelPromoted p = SampleEvents.modelPromoted();

        assertThatThrownBy(() -> new ModelPromoted(p.runId(), p.checkpointUri(), p.checkpointSha256(), p.step(),
                p.epoch(), 1.01, p.meanLoss(), p.bestPointerUri(), null, null, p.reason(), p.promotedAt()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("accuracy");
    }

    @Test
    void givenFirstPromotionOfARun_whenBuilt_thenItReplacesNoEarlierBest() {
        assertThat(SampleEvents.firstModelPromoted().replacesEarlierBest()).isFalse();
        assertThat(SampleEvents.modelPromoted().replacesEarlierBest()).isTrue();
    }

    @Test
    void givenStartedWithoutConfig_whenBuildingRunLifecycle_thenRejectedNamingConfig() {
        assertThatThrownBy(() -> new RunLifecycle("r", RunPhase.STARTED, Instant.EPOCH, null, Map.of(), 0L, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("config");
    }

    @Test
    void givenFailedWithoutReason_whenBuildingRunLifecycle_thenRejectedNamingReason() {
        assertThatThrownBy(() -> new RunLifecycle("r", RunPhase.FAILED, Instant.EPOCH, null, Map.of(), 3L, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("reason");
    }

    @Test
    void givenStoppedWithoutReason_whenBuildingRunLifecycle_thenRejectedNamingReason() {
        assertThatThrownBy(() -> new RunLifecycle("r", RunPhase.STOPPED, Instant.EPOCH, null, Map.of(), 3L, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("reason");
    }

    @Test
    void givenFinishedWithoutConfigOrReason_whenBuildingRunLifecycle_thenAccepted() {
        RunLifecycle finished = new RunLifecycle("r", RunPhase.FINISHED, Instant.EPOCH, null, Map.of("k", "v"), 9L,
                null);

        assertThat(finished.config()).isNull();
        assertThat(finished.provenance()).containsEntry("k", "v");
    }

    @Test
    void givenDropoutOfOne_whenBuildingModelSpec_thenRejectedNamingDropout() {
        assertThatThrownBy(() -> new ModelSpec(1.0, 32, 1, "relu6", 10, 1.0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("dropout");
    }

    @Test
    void givenNullKeyAndCeType_whenBuildingDeadLetter_thenAcceptedBecauseTheRejectedRecordMayLackThem() {
        DeadLetter letter = new DeadLetter("t", 0, 0L, null, null, "not a CloudEvent", "", "trainer", Instant.EPOCH,
            null, null, null);

        assertThat(letter.key()).isNull();
        assertThat(letter.ceType()).isNull();
    }

    @Test
    void givenEventTypes_whenLookedUp_thenCeTypeClassAndSchemaAreConsistent() {
        for (EventType type : EventType.values()) {
            assertThat(EventType.fromCeType(type.ceType())).contains(type);
            assertThat(EventType.of(type.javaType())).isEqualTo(type);
            assertThat(type.ceType()).isEqualTo("dev.trainstream." + type.schemaFile().replace(".json", ""));
            assertThat(type.dataschema()).hasToString("https://trainstream.dev/schemas/" + type.schemaFile());
        }
        assertThat(EventType.fromCeType("dev.trainstream.nope.v1")).isEmpty();
    }
}
