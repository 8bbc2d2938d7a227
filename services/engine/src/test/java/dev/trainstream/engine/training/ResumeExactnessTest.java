package dev.trainstream.engine.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainstream.engine.data.LabeledImages;
import dev.trainstream.engine.evaluation.CheckpointScorer;
import dev.trainstream.engine.evaluation.EvaluationReport;
import dev.trainstream.engine.model.Activation;
import dev.trainstream.engine.model.ModelOptions;
import dev.trainstream.engine.state.TensorRecord;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Train N steps straight vs. train k, save, restore into a fresh session, train N-k: every parameter, BN statistic
 * and the next step's outputs are bitwise equal on CPU (same thread count: the same kernels in the same order).
 */
class ResumeExactnessTest {

    private static final int TOTAL = 6;
    private static final int SAVE_AT = 3;

    @ParameterizedTest
    @EnumSource(OptimizerKind.class)
    void givenRunSavedMidway_whenRestoredAndContinued_thenBitwiseEqualToUninterruptedRun(OptimizerKind kind)
            throws IOException {
        ModelOptions model = ModelOptions.builder().optWidthMultiplier(0.25).optResolution(16).optNumClasses(4)
                .optActivation(Activation.RELU6).optDropout(0.2).build();
        TrainingConfig config = TrainingConfig.builder().optOptimizer(kind).setTotalSteps(TOTAL).optBatchSize(8)
                .optWarmupSteps(2).optLabelSmoothing(0.1).optGradClipNorm(1.0).optSeed(1234).build();
        List<LabeledImages> data = SyntheticImages.batches(TOTAL, 8, 16, 4, 5);

        List<TensorRecord> straight;
        StepResult straightLast;
        try (TrainingSession session = TrainingSession.create(model, config, EngineOptions.cpu(1))) {
            straightLast = run(session, data, 0, TOTAL);
            straight = session.parameterSnapshot();
        }

        byte[] saved;
        try (TrainingSession first = TrainingSession.create(model, config, EngineOptions.cpu(1))) {
            run(first, data, 0, SAVE_AT);
            first.setEpoch(2);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            first.save(out);
            saved = out.toByteArray();
        }
        try (TrainingSession resumed = TrainingSession.restore(new ByteArrayInputStream(saved), EngineOptions.cpu(1))) {
            assertThat(resumed.globalStep()).isEqualTo(SAVE_AT);
            assertThat(resumed.epoch()).isEqualTo(2);
            assertThat(resumed.config()).isEqualTo(config);
            assertThat(resumed.model()).isEqualTo(model);
            StepResult resumedLast = run(resumed, data, SAVE_AT, TOTAL);

            assertThat(resumedLast).usingRecursiveComparison().ignoringFields("computeNanos").isEqualTo(straightLast);
            List<TensorRecord> continued = resumed.parameterSnapshot();
            assertThat(continued).hasSameSizeAs(straight);
            for (int i = 0; i < straight.size(); i++) {
                assertThat(continued.get(i).values()).as(straight.get(i).name())
                        .isEqualTo(straight.get(i).values());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = OptimizerKind.class, names = "SGD")
    void givenSavedState_whenLoadedByCheckpointScorer_thenScoresLikeTheSession(OptimizerKind kind)
            throws IOException {
        ModelOptions model = ModelOptions.builder().optWidthMultiplier(0.25).optResolution(16).optNumClasses(4).build();
        TrainingConfig config = TrainingConfig.builder().optOptimizer(kind).setTotalSteps(3).optBatchSize(8).build();
        LabeledImages test = SyntheticImages.batch(20, 16, 4, 77);
        try (TrainingSession session = TrainingSession.create(model, config, EngineOptions.cpu(1))) {
            run(session, SyntheticImages.batches(3, 8, 16, 4, 9), 0, 3);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            session.save(out);
            EvaluationReport expected = session.evaluate(List.of(test).iterator(), 4);

            try (CheckpointScorer scorer = CheckpointScorer.load(
                    new ByteArrayInputStream(out.toByteArray()), EngineOptions.cpu(1))) {
                EvaluationReport actual = scorer.evaluate(List.of(test).iterator(), 4);

                assertThat(scorer.model()).isEqualTo(model);
                assertThat(scorer.globalStep()).isEqualTo(3);
                assertThat(actual).isEqualTo(expected);
            }
        }
    }

    private static StepResult run(TrainingSession session, List<LabeledImages> data, int from, int to) {
        StepResult last = null;
        for (int k = from; k < to; k++) {
            last = session.step(session.prepare(data.get(k), session.globalStep()));
        }
        return last;
    }
}
