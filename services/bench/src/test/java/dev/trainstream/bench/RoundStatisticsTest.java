package dev.trainstream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Benchmark summaries cannot flatter: odd rounds only, spread shown, inconclusive differences said so. */
class RoundStatisticsTest {

    @Test
    void givenFiveRounds_whenSummarised_thenTheMiddleOneAndTheSpread() {
        RoundStatistics s = RoundStatistics.of(0.93, 0.97, 0.91, 0.99, 0.95);

        assertThat(s.median()).isEqualTo(0.95);
        assertThat(s.min()).isEqualTo(0.91);
        assertThat(s.max()).isEqualTo(0.99);
        assertThat(s.ratioLine()).startsWith("0.950x median of 5 rounds (spread 0.910-0.990x)")
            .contains("not conclusive");
    }

    @Test
    void givenRoundsThatAgree_whenSummarised_thenNoWarning() {
        assertThat(RoundStatistics.of(0.90, 0.91, 0.92).ratioLine()).doesNotContain("not conclusive");
    }

    @Test
    void givenAnEvenRoundCount_whenAsked_thenRefusedNamingTheOption() {
        assertThatThrownBy(() -> RoundStatistics.requireOdd(2)).hasMessageContaining("--rounds must be an odd number");
        assertThatThrownBy(() -> RoundStatistics.of(0.9, 1.0)).hasMessageContaining("odd number of rounds");
    }
}
