package dev.trainstream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The loss-curve comparison of the GPU check: allowance {@code tolerance * (1 + |reference|)} per step. */
class LossAgreementTest {

    @Test
    void givenCurvesWithinTheAllowance_whenCompared_thenPassWithTheLargestDifference() {
        LossAgreement agreement = LossAgreement.of(new double[] {2.30, 2.10, 1.00}, new double[] {2.31, 2.08, 1.00},
            0.01);

        assertThat(agreement.passed()).isTrue();
        assertThat(agreement.maxDiff()).isCloseTo(0.02, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(agreement.worstStep()).isEqualTo(1);
    }

    @Test
    void givenOneStepOutsideItsAllowance_whenCompared_thenFailAtThatStep() {
        // step 2 allows 0.01 * (1 + 1.0) = 0.02 and differs by 0.05
        LossAgreement agreement = LossAgreement.of(new double[] {2.30, 1.00, 0.90}, new double[] {2.30, 1.05, 0.90},
            0.01);

        assertThat(agreement.passed()).isFalse();
        assertThat(agreement.worstStep()).isEqualTo(1);
        assertThat(agreement.worstRatio()).isGreaterThan(1);
    }

    @Test
    void givenANanLoss_whenCompared_thenNeverAgrees() {
        assertThat(LossAgreement.of(new double[] {2.3}, new double[] {Double.NaN}, 1e9).passed()).isFalse();
    }

    @Test
    void givenCurvesOfDifferentLengths_whenCompared_thenRejected() {
        assertThatThrownBy(() -> LossAgreement.of(new double[] {1}, new double[] {1, 2}, 0.01))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 and 2 steps");
    }
}
