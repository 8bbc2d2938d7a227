package dev.trainstream.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The validated builder: defaults for CIFAR, derived stem stride, and errors that name the setting. */
class ModelOptionsTest {

    @Test
    void givenNoSettings_whenBuilt_thenCifarDefaults() {
        ModelOptions options = ModelOptions.builder().build();

        assertThat(options).isEqualTo(new ModelOptions(1.0, 32, 1, Activation.RELU, 10, 0.0));
    }

    @Test
    void givenLargeInputWithoutStemStride_whenBuilt_thenPaperStrideTwo() {
        assertThat(ModelOptions.builder().optResolution(224).build().stemStride()).isEqualTo(2);
        assertThat(ModelOptions.builder().optResolution(224).optStemStride(1).build().stemStride()).isEqualTo(1);
    }

    @Test
    void givenWidthMultiplier_whenChannelsScaled_thenKerasTruncation() {
        ModelOptions options = ModelOptions.builder().optWidthMultiplier(0.75).build();

        assertThat(options.channels(32)).isEqualTo(24);
        assertThat(options.channels(1024)).isEqualTo(768);
        assertThat(ModelOptions.builder().optWidthMultiplier(0.35).build().channels(32)).isEqualTo(11);
    }

    @Test
    void givenInvalidSettings_whenBuilt_thenExceptionNamesTheSetting() {
        assertThatThrownBy(() -> ModelOptions.builder().optWidthMultiplier(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("widthMultiplier");
        assertThatThrownBy(() -> ModelOptions.builder().optResolution(4).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("resolution");
        assertThatThrownBy(() -> ModelOptions.builder().optStemStride(3).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stemStride");
        assertThatThrownBy(() -> ModelOptions.builder().optActivation(null).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("activation");
        assertThatThrownBy(() -> ModelOptions.builder().optNumClasses(1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("numClasses");
        assertThatThrownBy(() -> ModelOptions.builder().optDropout(1.0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dropout");
        assertThatThrownBy(() -> MobileNetV1.builder().optWidthMultiplier(-1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("widthMultiplier");
    }
}
