package dev.trainstream.engine.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.trainstream.engine.data.Augmentation;
import dev.trainstream.engine.data.ChannelStatistics;
import dev.trainstream.engine.data.LabeledImages;
import dev.trainstream.engine.data.PreparedBatch;
import dev.trainstream.engine.evaluation.CheckpointScorer;
import dev.trainstream.engine.evaluation.EvaluationReport;
import dev.trainstream.engine.model.ModelOptions;
import dev.trainstream.engine.optimizer.ParameterSlot;
import dev.trainstream.engine.state.SavedState;
import dev.trainstream.engine.state.TensorRecord;
import dev.trainstream.engine.state.TrainingStateArchive;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
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
                .optWarmupSteps(0).optAugmentation(Augmentation.NONE).build();
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
            assertThat(split.meanLoss()).isCloseTo(whole.meanLoss(), within(1e-5));
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

    @Test
    void givenTheDatasetsOwnStatistics_whenSavedAndScoredAsTheEvaluatorDoes_thenScoringUsesThemNotCifar10s()
            throws Exception {
        // A learnable task (as the first test), normalised with statistics far from CIFAR-10's.
        List<LabeledImages> data = SyntheticImages.batches(10, 16, 16, 4, 7);
        LabeledImages images = SyntheticImages.batch(16, 16, 4, 11);
        ChannelStatistics own = new ChannelStatistics(
            List.of(0.078, 0.079, 0.080), List.of(0.046, 0.047, 0.048));
        TrainingConfig withOwn = TrainingConfig.builder().setTotalSteps(10).optSeed(5).optBatchSize(16)
                .optLearningRate(0.05).optWarmupSteps(0).optAugmentation(Augmentation.NONE).optChannelStatistics(own).build();

        try (TrainingSession session = TrainingSession.create(TINY, withOwn, ENGINE)) {
            for (LabeledImages raw : data) {
                session.step(session.prepare(raw, session.globalStep()));
            }
            double trained = session.evaluate(List.of(images).iterator(), 4).meanLoss();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            session.save(out);
            byte[] state = out.toByteArray();

            assertThat(scoredLoss(state, images)).as("the evaluator normalises as the run trained").isEqualTo(trained);
            // The same weights in a state that names no statistics (as before they were recorded): CIFAR-10's apply.
            SavedState saved = TrainingStateArchive.read(
                    new ByteArrayInputStream(state));
            assertThat(saved.config().channelStatistics()).isEqualTo(own);
            TrainingConfig c = saved.config();
            TrainingConfig none = new TrainingConfig(c.optimizer(), c.learningRate(), c.momentum(), c.nesterov(),
                    c.weightDecay(), c.decayPolicy(), c.schedule(), c.warmupSteps(), c.totalSteps(),
                    c.minLearningRate(), c.stepDecayEvery(), c.stepDecayFactor(), c.labelSmoothing(),
                    c.gradClipNorm(), c.batchSize(), c.seed(), c.augmentation(), c.adamBeta2(), c.adamEpsilon(), null);
            byte[] withoutStatistics = TrainingStateArchive.toBytes(
                    new SavedState(saved.model(), none, saved.globalStep(), saved.epoch(),
                            saved.optimizerStateNames(), saved.parameters(), saved.optimizerState(),
                            saved.provenance()));
            assertThat(scoredLoss(withoutStatistics, images)).as("CIFAR-10's statistics: other inputs, another loss")
                    .isNotEqualTo(trained);
            assertThat(withOwn.normalization(3).apply(0, (byte) 20)).isCloseTo((20 / 255f - 0.078f) / 0.046f,
                    within(1e-5f));
        }
    }

    private static double scoredLoss(byte[] state, LabeledImages images) throws Exception {
        try (CheckpointScorer scorer = CheckpointScorer.load(new ByteArrayInputStream(state), ENGINE)) {
            return scorer.evaluate(List.of(images).iterator(), 4).meanLoss();
        }
    }
}
