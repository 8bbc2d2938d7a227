package dev.trainstream.evaluator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainstream.events.CheckpointCreated;
import dev.trainstream.events.ModelSpec;
import dev.trainstream.events.consume.Received;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Specification of the catch-up policy: newest checkpoint per run only when behind by more than the threshold. */
class CatchUpPlanTest {
    private static final String SHA = "a".repeat(64);
    private long offset;

    @Test
    void givenLagAboveThreshold_whenPlanned_thenOnlyTheHighestStepOfEachRunIsScored() {
        List<Received<CheckpointCreated>> backlog = List.of(event("a", 10), event("b", 5), event("a", 30),
            event("a", 20), event("b", 7));

        CatchUpPlan plan = CatchUpPlan.of(backlog, 5, 2);

        assertThat(plan.active()).isTrue();
        assertThat(scored(plan, backlog)).containsExactly("a@30", "b@7");
    }

    @Test
    void givenTheSameStepAnnouncedTwice_whenPlanned_thenTheLaterOneIsScored() {
        Received<CheckpointCreated> first = event("a", 10);
        Received<CheckpointCreated> again = event("a", 10);

        CatchUpPlan plan = CatchUpPlan.of(List.of(first, again), 10, 1);

        assertThat(plan.shouldScore(first)).isFalse();
        assertThat(plan.shouldScore(again)).isTrue();
    }

    @Test
    void givenLagAtOrBelowThreshold_whenPlanned_thenEverythingIsScored() {
        List<Received<CheckpointCreated>> backlog = List.of(event("a", 1), event("a", 2));

        CatchUpPlan plan = CatchUpPlan.of(backlog, 2, 2);

        assertThat(plan.active()).isFalse();
        assertThat(scored(plan, backlog)).containsExactly("a@1", "a@2");
    }

    @Test
    void givenCatchUpOff_whenFarBehind_thenEverythingIsScored() {
        List<Received<CheckpointCreated>> backlog = List.of(event("a", 1), event("a", 2));

        assertThat(scored(CatchUpPlan.of(backlog, 1_000, EvaluatorConfig.CATCH_UP_OFF), backlog))
            .containsExactly("a@1", "a@2");
    }

    @Test
    void givenNegativeThreshold_whenPlanned_thenRejected() {
        assertThatThrownBy(() -> CatchUpPlan.of(List.of(), 3, -1)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("threshold");
    }

    private static List<String> scored(CatchUpPlan plan, List<Received<CheckpointCreated>> backlog) {
        List<String> out = new ArrayList<>();
        backlog.stream().filter(plan::shouldScore).forEach(r -> out.add(r.event().runId() + "@" + r.event().step()));
        return out;
    }

    private Received<CheckpointCreated> event(String run, long step) {
        CheckpointCreated event = new CheckpointCreated(run, "s3://b/runs/" + run + "/checkpoints/" + step, SHA, 1, step,
            0, "d", "m", List.of(), new ModelSpec(0.25, 32, 1, "RELU", 10, 0), 1.0, 0.5, Instant.EPOCH);
        return new Received<>(event, "trainstream.checkpoints.v1", 0, offset++, "id-" + offset);
    }
}
