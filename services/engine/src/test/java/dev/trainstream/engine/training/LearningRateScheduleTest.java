package dev.trainstream.engine.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Warm-up then cosine / step / constant, as a pure function of the step. */
class LearningRateScheduleTest {

    @Test
    void givenWarmupAndCosine_whenQueried_thenLinearRampThenHalfCosineToFloor() {
        TrainingConfig config = TrainingConfig.builder().setTotalSteps(110).optWarmupSteps(10).optLearningRate(0.2)
                .optMinLearningRate(0.02).build();
        LearningRateSchedule schedule = new LearningRateSchedule(config);

        assertThat(schedule.rate(0)).isCloseTo(0.02, within(1e-12));
        assertThat(schedule.rate(4)).isCloseTo(0.1, within(1e-12));
        assertThat(schedule.rate(10)).isCloseTo(0.2, within(1e-12));
        assertThat(schedule.rate(60)).isCloseTo(0.11, within(1e-12));
        assertThat(schedule.rate(110)).isCloseTo(0.02, within(1e-12));
        assertThat(schedule.rate(500)).isCloseTo(0.02, within(1e-12));
    }

    @Test
    void givenStepSchedule_whenQueried_thenDecaysByFactorEveryInterval() {
        TrainingConfig config = TrainingConfig.builder().setTotalSteps(300).optWarmupSteps(0)
                .optSchedule(ScheduleKind.STEP).optLearningRate(0.1).build();
        LearningRateSchedule schedule = new LearningRateSchedule(config);

        assertThat(schedule.rate(99)).isCloseTo(0.1, within(1e-12));
        assertThat(schedule.rate(100)).isCloseTo(0.01, within(1e-12));
        assertThat(schedule.rate(299)).isCloseTo(0.001, within(1e-12));
    }

    @Test
    void givenDefaults_whenBuilt_thenBatchScaledSgdRateAndTwoPercentWarmup() {
        TrainingConfig config = TrainingConfig.builder().setTotalSteps(1000).optBatchSize(256).build();

        assertThat(config.learningRate()).isEqualTo(0.2);
        assertThat(config.warmupSteps()).isEqualTo(20);
        assertThat(config.weightDecay()).isEqualTo(5e-4);
        assertThat(config.nesterov()).isTrue();
        assertThat(config.schedule()).isEqualTo(ScheduleKind.COSINE);
        assertThat(new LearningRateSchedule(TrainingConfig.builder().setTotalSteps(5)
                .optSchedule(ScheduleKind.CONSTANT).optWarmupSteps(0).build()).rate(4)).isEqualTo(0.1);
    }

    @Test
    void givenInvalidSettings_whenBuilt_thenExceptionNamesTheSetting() {
        assertThatThrownBy(() -> TrainingConfig.builder().build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("totalSteps");
        assertThatThrownBy(() -> TrainingConfig.builder().setTotalSteps(5).optWarmupSteps(6).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("warmupSteps");
        assertThatThrownBy(() -> TrainingConfig.builder().setTotalSteps(5).optMomentum(1.0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("momentum");
        assertThatThrownBy(() -> TrainingConfig.builder().setTotalSteps(5).optLabelSmoothing(1.0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("labelSmoothing");
        assertThatThrownBy(() -> TrainingConfig.builder().setTotalSteps(5).optLearningRate(-1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("learningRate");
        assertThatThrownBy(() -> TrainingConfig.builder().setTotalSteps(5).optGradClipNorm(-1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gradClipNorm");
        assertThatThrownBy(() -> new LearningRateSchedule(TrainingConfig.builder().setTotalSteps(5).build()).rate(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("step");
    }
}
