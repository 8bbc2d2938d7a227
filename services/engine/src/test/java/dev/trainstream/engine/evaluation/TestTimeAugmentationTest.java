package dev.trainstream.engine.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.trainstream.engine.data.Augmentation;
import dev.trainstream.engine.data.LabeledImages;
import dev.trainstream.engine.model.ModelOptions;
import dev.trainstream.engine.training.EngineOptions;
import dev.trainstream.engine.training.SyntheticImages;
import dev.trainstream.engine.training.TrainingConfig;
import dev.trainstream.engine.training.TrainingSession;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Flip averaging scores an image and its mirror alike, and changes nothing for an image that is its own mirror. */
class TestTimeAugmentationTest {

    private static final int SIZE = 16;
    private static final int CLASSES = 4;
    private static TrainingSession session;

    @BeforeAll
    static void trainBriefly() {
        ModelOptions model = ModelOptions.builder().optWidthMultiplier(0.25).optResolution(SIZE)
                .optNumClasses(CLASSES).build();
        // Long enough for the BN running statistics to settle: a barely trained net scores every input alike.
        TrainingConfig config = TrainingConfig.builder().setTotalSteps(30).optBatchSize(16).optLearningRate(0.05)
                .optWarmupSteps(0).optAugmentation(Augmentation.NONE).build();
        session = TrainingSession.create(model, config, EngineOptions.cpu(1));
        for (LabeledImages raw : SyntheticImages.batches(30, 16, SIZE, CLASSES, 3)) {
            session.step(session.prepare(raw, session.globalStep()));
        }
    }

    @AfterAll
    static void close() {
        session.close();
    }

    @Test
    void givenMirroredImages_whenScoredWithFlip_thenSameScoresAsOriginals_whilePlainScoresDiffer() {
        LabeledImages test = SyntheticImages.batch(24, SIZE, CLASSES, 99);
        LabeledImages mirrored = mirror(test);

        EvaluationReport plain = score(test, TestTimeAugmentation.NONE);
        EvaluationReport plainMirrored = score(mirrored, TestTimeAugmentation.NONE);
        EvaluationReport flip = score(test, TestTimeAugmentation.HORIZONTAL_FLIP);
        EvaluationReport flipMirrored = score(mirrored, TestTimeAugmentation.HORIZONTAL_FLIP);

        assertThat(plainMirrored.meanLoss()).as("the trained net is not mirror-invariant by itself")
                .isNotCloseTo(plain.meanLoss(), within(1e-4));
        assertThat(flipMirrored.confusion()).isEqualTo(flip.confusion());
        assertThat(flipMirrored.meanLoss()).isCloseTo(flip.meanLoss(), within(1e-5));
        assertThat(flip.meanLoss()).isFinite().isNotCloseTo(plain.meanLoss(), within(1e-4));
        assertThat(flip.examples()).isEqualTo(24);
    }

    @Test
    void givenImagesThatAreTheirOwnMirror_whenScoredWithFlip_thenSameAsPlain() {
        LabeledImages symmetric = symmetrize(SyntheticImages.batch(24, SIZE, CLASSES, 7));

        EvaluationReport plain = score(symmetric, TestTimeAugmentation.NONE);
        EvaluationReport flip = score(symmetric, TestTimeAugmentation.HORIZONTAL_FLIP);

        assertThat(flip.confusion()).isEqualTo(plain.confusion());
        assertThat(flip.meanLoss()).isCloseTo(plain.meanLoss(), within(1e-5));
    }

    @Test
    void givenConfigurationValues_whenParsed_thenKnownNamesAcceptedAndOthersRejectedWithTheChoices() {
        assertThat(TestTimeAugmentation.parse(" HFlip ")).isEqualTo(TestTimeAugmentation.HORIZONTAL_FLIP);
        assertThat(TestTimeAugmentation.parse("none")).isEqualTo(TestTimeAugmentation.NONE);
        assertThatThrownBy(() -> TestTimeAugmentation.parse("vflip")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[none, hflip]").hasMessageContaining("'vflip'");
        assertThatThrownBy(() -> session.evaluate(List.of(SyntheticImages.batch(2, SIZE, CLASSES, 1)).iterator(),
                CLASSES, null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NONE");
    }

    private static EvaluationReport score(LabeledImages images, TestTimeAugmentation augmentation) {
        return session.evaluate(List.of(images.slice(0, 10), images.slice(10, images.count())).iterator(), CLASSES,
                augmentation);
    }

    /** Each row reversed left to right: what {@code x.flip(3)} sees. */
    private static LabeledImages mirror(LabeledImages images) {
        byte[] out = new byte[images.pixels().length];
        int width = images.width();
        for (int row = 0; row < out.length / width; row++) {
            for (int col = 0; col < width; col++) {
                out[row * width + col] = images.pixels()[row * width + width - 1 - col];
            }
        }
        return new LabeledImages(images.count(), images.channels(), images.height(), width, out,
                images.labels().clone());
    }

    /** The left half of each row copied mirrored onto its right half. */
    private static LabeledImages symmetrize(LabeledImages images) {
        byte[] out = images.pixels().clone();
        int width = images.width();
        for (int row = 0; row < out.length / width; row++) {
            for (int col = 0; col < width / 2; col++) {
                out[row * width + width - 1 - col] = out[row * width + col];
            }
        }
        return new LabeledImages(images.count(), images.channels(), images.height(), width, out,
                images.labels().clone());
    }
}
