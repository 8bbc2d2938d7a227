package dev.trainstream.events.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainstream.events.EventType;
import dev.trainstream.events.SampleEvents;
import dev.trainstream.events.TrainingMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Specification of the topic catalogue: names, partition counts, keys and which event types travel where. */
class TopicsTest {

    @Test
    void givenCatalogue_whenListed_thenNamesAndPartitionsAreTheAgreedOnes() {
        assertThat(Topics.all()).extracting(Topic::name).containsExactly("trainstream.batches.v1",
                "trainstream.metrics.v1", "trainstream.checkpoints.v1", "trainstream.evaluations.v1",
                "trainstream.runs.v1", "trainstream.deadletter.v1");
        assertThat(Topics.all()).extracting(Topic::partitions).containsExactly(3, 3, 3, 3, 3, 1);
    }

    @Test
    void givenCatalogue_whenCollectingEventTypes_thenEveryTypeTravelsOnExactlyOneTopic() {
        List<EventType> carried = new ArrayList<>();
        Topics.all().forEach(t -> carried.addAll(t.eventTypes()));

        assertThat(carried).containsExactlyInAnyOrder(EventType.values());
    }

    @Test
    void givenEvents_whenExtractingKeys_thenDatasetRunOrSourceTopicIsTheKey() {
        assertThat(Topics.BATCHES.keyOf(SampleEvents.batchReference())).isEqualTo(SampleEvents.DATASET_ID);
        assertThat(Topics.BATCHES.keyOf(SampleEvents.epochCompleted())).isEqualTo(SampleEvents.DATASET_ID);
        assertThat(Topics.METRICS.keyOf(SampleEvents.trainingMetrics())).isEqualTo(SampleEvents.RUN_ID);
        assertThat(Topics.CHECKPOINTS.keyOf(SampleEvents.checkpointCreated())).isEqualTo(SampleEvents.RUN_ID);
        assertThat(Topics.EVALUATIONS.keyOf(SampleEvents.evaluationFailed())).isEqualTo(SampleEvents.RUN_ID);
        assertThat(Topics.EVALUATIONS.keyOf(SampleEvents.modelPromoted())).isEqualTo(SampleEvents.RUN_ID);
        assertThat(Topics.RUNS.keyOf(SampleEvents.runStarted())).isEqualTo(SampleEvents.RUN_ID);
        assertThat(Topics.DEAD_LETTERS.keyOf(SampleEvents.deadLetter())).isEqualTo("trainstream.batches.v1");
    }

    @Test
    void givenTopicName_whenLookedUp_thenFoundOrEmpty() {
        assertThat(Topics.byName("trainstream.runs.v1")).contains(Topics.RUNS);
        assertThat(Topics.byName("nope")).isEmpty();
        assertThat(Topics.carrying(EventType.EVALUATION_FAILED)).isSameAs(Topics.EVALUATIONS);
        assertThat(Topics.carrying(EventType.MODEL_PROMOTED)).isSameAs(Topics.EVALUATIONS);
    }

    @Test
    void givenInvalidSettings_whenDefiningTopic_thenIllegalArgumentNamingTheSetting() {
        assertThatThrownBy(() -> Topic.define("bad name", 1, TrainingMetrics.class, TrainingMetrics::runId,
                Set.of(EventType.TRAINING_METRICS), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("name");
        assertThatThrownBy(() -> Topic.define("t", 0, TrainingMetrics.class, TrainingMetrics::runId,
                Set.of(EventType.TRAINING_METRICS), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("partitions");
        assertThatThrownBy(() -> Topic.define("t", 1, TrainingMetrics.class, TrainingMetrics::runId,
                Set.of(EventType.RUN_LIFECYCLE), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("eventTypes");
    }

    @Test
    void givenMissingBootstrap_whenEnsuringTopics_thenIllegalArgumentBeforeAnyNetworkCall() {
        assertThatThrownBy(() -> TopicAdmin.ensureTopics(" ", Topics.all(), (short) 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("bootstrap");
        assertThatThrownBy(() -> TopicAdmin.ensureTopics("localhost:1", Topics.all(), (short) 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("replicationFactor");
    }
}
