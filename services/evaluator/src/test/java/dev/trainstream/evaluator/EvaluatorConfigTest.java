package dev.trainstream.evaluator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainstream.engine.evaluation.TestTimeAugmentation;
import dev.trainstream.engine.training.DeviceChoice;
import dev.trainstream.events.EvaluationCompleted;
import dev.trainstream.storage.S3Settings;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** Specification: invalid evaluator settings fail at start-up naming the setting; catch-up is off unless asked. */
class EvaluatorConfigTest {
    private static final S3Settings S3 = new S3Settings(URI.create("http://localhost:9000"), "k", "s", "bucket",
        "us-east-1");

    @Test
    void givenTheConstructorWithoutCatchUp_whenBuilt_thenCatchUpIsOff() {
        EvaluatorConfig config = new EvaluatorConfig(64, 1, DeviceChoice.cpu(), 0.2, 0.01, "g", "k:9092", (short) 1, S3);

        assertThat(config.catchUpEnabled()).isFalse();
        assertThat(config.gate()).isEqualTo(new PromotionGate(0.2, 0.01));
        assertThat(config.testTimeAugmentation()).isEqualTo(TestTimeAugmentation.NONE);
        assertThat(config.testTimeAugmentationLabel()).isNull();
    }

    @Test
    void givenFlipScoring_whenSet_thenEventsCarryHflipAndNullIsRejected() {
        EvaluatorConfig plain = new EvaluatorConfig(64, 1, DeviceChoice.cpu(), 0.2, 0.01, "g", "k:9092", (short) 1, S3);

        EvaluatorConfig flip = plain.withTestTimeAugmentation(TestTimeAugmentation.HORIZONTAL_FLIP);

        assertThat(flip.testTimeAugmentationLabel()).isEqualTo(EvaluationCompleted.HORIZONTAL_FLIP);
        assertThat(flip.withTestTimeAugmentation(TestTimeAugmentation.NONE)).isEqualTo(plain);
        assertThatThrownBy(() -> plain.withTestTimeAugmentation(null))
            .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("test-time augmentation");
    }

    @Test
    void givenNegativeCatchUpThreshold_whenBuilt_thenRejectedNamingTheOption() {
        assertThatThrownBy(() -> new EvaluatorConfig(64, 1, DeviceChoice.cpu(), 0, 0, "g", "k:9092", (short) 1, S3, -1))
            .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("catch-up-newest-only-when-behind");
    }

    @Test
    void givenZeroBatchOrFloorAboveOne_whenBuilt_thenRejectedNamingTheSetting() {
        assertThatThrownBy(() -> new EvaluatorConfig(0, 1, DeviceChoice.cpu(), 0, 0, "g", "k:9092", (short) 1, S3))
            .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("eval batch size");
        assertThatThrownBy(() -> new EvaluatorConfig(8, 1, DeviceChoice.cpu(), 1.2, 0, "g", "k:9092", (short) 1, S3))
            .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("gate min accuracy");
    }
}
