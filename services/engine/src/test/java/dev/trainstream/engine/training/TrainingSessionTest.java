package dev.trainstream.engine.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainstream.engine.data.LabeledImages;
import dev.trainstream.engine.data.PreparedBatch;
import dev.trainstream.engine.evaluation.EvaluationReport;
import dev.trainstream.engine.model.ModelOptions;
import dev.trainstream.engine.optimizer.ParameterSlot;
import dev.trainstream.engine.state.TensorRecord;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The training loop learns, changes every parameter tensor every step, and evaluates in inference mode. */
class TrainingSessionTest {

    static final ModelOptions TINY = ModelOptions.builder()
            .optWidthMultiplier(0.25).optResolution(16).optNumClasses(4).build();
    static final EngineOptions ENGINE = EngineOptions.cpu(1);

    @Test
    void givenLearnableTask_whenTraining_thenLossFallsAndEveryTrainableTensorChangesEveryStep() {
        TrainingConfig config = TrainingConfig.builder().setTotalSteps(30).optBatchSize(16).optLearningRate(0.05)
                .optWarmupSteps(0).optAugment(false).build();
        List<LabeledImages> data = SyntheticImages.batches(30, 16, 16, 4, 7);
        try (TrainingSession session = TrainingSession.create(TINY, config, ENGINE)) {
            List<String> trainable = session.slots().stream().map(ParameterSlot::name).toList();
            List<TensorRecord> before = session.parameterSnapshot();
            List<Double> losses = new ArrayList<>();
            for (LabeledImages raw : data) {
                StepResult result = session.step(session.prepare(raw, session.globalStep()));
                losses.add(result.loss());
                List<TensorRecord> after = session.parameterSnapshot();
                for (int i = 0; i < after.size(); i++) {
                    if (trainable.contains(after.get(i).name())) {
                        assertThat(after.get(i).values())
                                .as("%s at step %d", after.get(i).name(), result.globalStep())
                                .isNotEqualTo(before.get(i).values());
                    }
                }
                before = after;
            }
            double first = losses.subList(0, 5).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            double last = losses.subList(25, 30).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            assertThat(last).isLessThan(first * 0.5);
            assertThat(session.globalStep()).isEqualTo(30);
        }
    }

    @Test
    void givenStep_whenRun_thenResultReportsStepRateAndTime() {
        TrainingConfig config = TrainingConfig.builder().setTotalSteps(10).optBatchSize(8).optWarmupSteps(2)
                .optLearningRate(0.1).build();
        try (TrainingSession session = TrainingSession.create(TINY, config, ENGINE)) {
            StepResult first = session.step(session.prepare(SyntheticImages.batch(8, 16, 4, 1), 0));

            assertThat(first.globalStep()).isEqualTo(1);
            assertThat(first.learningRate()).isEqualTo(0.05);
            assertThat(first.loss()).isPositive().isFinite();
            assertThat(first.accuracy()).isBetween(0.0, 1.0);
            assertThat(first.computeNanos()).isPositive();
            assertThat(session.nextLearningRate()).isEqualTo(0.1);
        }
    }

    @Test
    void givenPaperDecayPolicy_whenSessionCreated_thenOnlyNonDepthwiseWeightsDecay() {
        TrainingConfig config = TrainingConfig.builder().setTotalSteps(1).optDecayPolicy(DecayPolicy.PAPER).build();
        try (TrainingSession session = TrainingSession.create(TINY, config, ENGINE)) {
            assertThat(session.slots()).filteredOn(ParameterSlot::decayed).extracting(ParameterSlot::name)
                    .contains("conv1.weight", "conv_pw_1.weight", "predictions.weight")
                    .noneMatch(n -> n.startsWith("conv_dw_") || n.endsWith("bias") || n.contains("_bn."));
            assertThat(session.slots()).extracting(ParameterSlot::name)
                    .noneMatch(n -> n.contains("running"));
        }
    }

    @Test
    void givenTrainedWeights_whenEvaluated_thenInferenceModeIsIndependentOfBatchingAndLeavesStateUntouched() {
        TrainingConfig config = TrainingConfig.builder().setTotalSteps(5).optBatchSize(16).build();
        LabeledImages test = SyntheticImages.batch(24, 16, 4, 99);
        try (TrainingSession session = TrainingSession.create(TINY, config, ENGINE)) {
            for (LabeledImages raw : SyntheticImages.batches(5, 16, 16, 4, 3)) {
                session.step(session.prepare(raw, session.globalStep()));
            }
            List<TensorRecord> before = session.parameterSnapshot();

            EvaluationReport whole = session.evaluate(List.of(test).iterator(), 4);
            EvaluationReport split = session.evaluate(List.of(test.slice(0, 5), test.slice(5, 24)).iterator(), 4);

            assertThat(session.parameterSnapshot()).isEqualTo(before);
            assertThat(whole.examples()).isEqualTo(24);
            assertThat(split.confusion()).isEqualTo(whole.confusion());
            assertThat(split.meanLoss()).isCloseTo(whole.meanLoss(), org.assertj.core.api.Assertions.within(1e-5));
            long correct = 0;
            for (int k = 0; k < 4; k++) {
                correct += whole.confusion()[k][k];
            }
            assertThat(whole.accuracy()).isEqualTo(correct / 24.0);
        }
    }

    @Test
    void givenWrongImageSizeOrLabel_whenPreparedOrStepped_thenRejectedWithReason() {
        TrainingConfig config = TrainingConfig.builder().setTotalSteps(1).build();
        try (TrainingSession session = TrainingSession.create(TINY, config, ENGINE)) {
            assertThatThrownBy(() -> session.prepare(SyntheticImages.batch(2, 32, 4, 1), 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expects 3x16x16");
            PreparedBatch badLabel = new PreparedBatch(0, 1, 3, 16, 16, new float[3 * 16 * 16], new int[] {7});
            assertThatThrownBy(() -> session.step(badLabel))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("label 7");
            assertThatThrownBy(() -> session.evaluate(List.of(SyntheticImages.batch(2, 16, 4, 1)).iterator(), 10))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("numClasses");
        }
    }
}
