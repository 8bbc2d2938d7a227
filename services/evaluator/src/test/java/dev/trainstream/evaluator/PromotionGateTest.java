package dev.trainstream.evaluator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainstream.events.GateDecision;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** Specification of the TFX-style gate: absolute floor, then improvement over the run's current best. */
class PromotionGateTest {

    @Test
    void givenAccuracyBelowTheFloor_whenDecided_thenNeitherPassedNorPromotedEvenWithoutBaseline() {
        GateDecision decision = new PromotionGate(0.5, 0.0).decide(0.49, OptionalDouble.empty());

        assertThat(decision.passed()).isFalse();
        assertThat(decision.promoted()).isFalse();
        assertThat(decision.reason()).contains("below floor 0.5000");
    }

    @Test
    void givenFirstCheckpointOfARunAtTheFloor_whenDecided_thenPromotedWithoutBaseline() {
        GateDecision decision = new PromotionGate(0.5, 0.2).decide(0.5, OptionalDouble.empty());

        assertThat(decision.passed()).isTrue();
        assertThat(decision.promoted()).isTrue();
        assertThat(decision.reason()).contains("first evaluated checkpoint");
    }

    @Test
    void givenImprovementOfAtLeastDelta_whenDecided_thenPromoted() {
        GateDecision decision = new PromotionGate(0.1, 0.1).decide(0.3, OptionalDouble.of(0.2));

        assertThat(decision.promoted()).as("0.3 - 0.2 >= 0.1 despite binary rounding").isTrue();
        assertThat(decision.reason()).contains("improves on best 0.2000");
    }

    @Test
    void givenImprovementSmallerThanDelta_whenDecided_thenPassedButNotPromoted() {
        GateDecision decision = new PromotionGate(0.1, 0.05).decide(0.64, OptionalDouble.of(0.6));

        assertThat(decision.passed()).isTrue();
        assertThat(decision.promoted()).isFalse();
        assertThat(decision.reason()).contains("does not improve on best 0.6000 by 0.0500");
    }

    @Test
    void givenZeroDeltaAndEqualAccuracy_whenDecided_thenNotPromotedBecauseItMustBeStrictlyBetter() {
        PromotionGate gate = new PromotionGate(0.0, 0.0);

        assertThat(gate.decide(0.6, OptionalDouble.of(0.6)).promoted()).isFalse();
        assertThat(gate.decide(0.605, OptionalDouble.of(0.6)).promoted()).isTrue();
    }

    @Test
    void givenWorseAccuracyThanBest_whenDecided_thenNotPromoted() {
        assertThat(new PromotionGate(0.0, 0.0).decide(0.4, OptionalDouble.of(0.6)).promoted()).isFalse();
    }

    @Test
    void givenTheRunsBestIsThisCheckpoint_whenDecidedAgain_thenStillPromoted() {
        GateDecision decision = new PromotionGate(0.0, 0.1).alreadyBest(0.7);

        assertThat(decision.promoted()).isTrue();
        assertThat(decision.reason()).contains("already the run's best");
    }

    @Test
    void givenThresholdsOutsideZeroToOne_whenBuilt_thenRejectedNamingTheSetting() {
        assertThatThrownBy(() -> new PromotionGate(1.5, 0.0)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("gate min accuracy");
        assertThatThrownBy(() -> new PromotionGate(0.5, -0.1)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("gate min improvement");
        assertThatThrownBy(() -> new PromotionGate(0.5, 0.0).decide(Double.NaN, OptionalDouble.empty()))
            .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("accuracy");
    }
}
