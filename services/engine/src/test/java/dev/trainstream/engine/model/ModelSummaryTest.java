package dev.trainstream.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Pins the built network against the paper (Tables 1, 6, 7) and the Keras reference counts. */
class ModelSummaryTest {

    @Test
    void givenPaperImagenetLayout_whenSummarised_thenKerasParameterCountsAndPaperMultAdds() {
        ModelSummary summary = ModelSummary.of(ModelOptions.builder()
                .optWidthMultiplier(1.0).optResolution(224).optNumClasses(1000).optStemStride(2).build());

        assertThat(summary.trainableParameters()).isEqualTo(4_231_976L);
        assertThat(summary.nonTrainableParameters()).isEqualTo(21_888L);
        assertThat((double) summary.multAdds()).isCloseTo(569e6, within(569e6 * 0.01));
    }

    @Test
    void givenPaperLayout_whenSummarised_thenLayersFollowTableOne() {
        ModelSummary summary = ModelSummary.of(ModelOptions.imagenet());

        assertThat(summary.layers()).hasSize(3 + 13 * 6 + 2);
        assertThat(summary.layers().get(0).name()).isEqualTo("conv1");
        assertThat(summary.layers().get(0).outputShape()).containsExactly(32, 112, 112);
        LayerRow firstDepthwise = summary.layers().get(3);
        assertThat(firstDepthwise.name()).isEqualTo("conv_dw_1");
        // depthwise 3x3 over 32 channels, groups = channels, no bias
        assertThat(firstDepthwise.trainableParameters()).isEqualTo(3 * 3 * 32);
        LayerRow lastPointwise = summary.layers().stream()
                .filter(r -> r.name().equals("conv_pw_13")).findFirst().orElseThrow();
        assertThat(lastPointwise.outputShape()).containsExactly(1024, 7, 7);
        assertThat(lastPointwise.trainableParameters()).isEqualTo(1024L * 1024);
        LayerRow classifier = summary.layers().get(summary.layers().size() - 1);
        assertThat(classifier.name()).isEqualTo("predictions");
        assertThat(classifier.trainableParameters()).isEqualTo(1024L * 1000 + 1000);
        assertThat(summary.layers().stream().filter(r -> r.name().startsWith("conv_dw_") && r.name().endsWith("_relu")))
                .hasSize(13);
    }

    @ParameterizedTest(name = "alpha {0} -> {1}M params, {2}M mult-adds")
    @CsvSource({"0.75, 2.6, 325", "0.5, 1.3, 149", "0.25, 0.5, 41"})
    void givenWidthMultiplier_whenSummarised_thenMatchesTableSix(double alpha, double paramsM, double multAddsM) {
        ModelSummary summary = ModelSummary.of(ModelOptions.builder()
                .optWidthMultiplier(alpha).optResolution(224).optNumClasses(1000).build());

        // the paper rounds parameters to 0.1M and mult-adds to 1M
        assertThat(Math.round(summary.trainableParameters() / 1e5) / 10.0).isEqualTo(paramsM);
        assertThat(Math.round(summary.multAdds() / 1e6)).isEqualTo((long) multAddsM);
    }

    @ParameterizedTest(name = "resolution {0} -> {1}M mult-adds")
    @CsvSource({"192, 418", "160, 290", "128, 186"})
    void givenResolution_whenSummarised_thenMatchesTableSeven(int resolution, long multAddsM) {
        ModelSummary summary = ModelSummary.of(ModelOptions.builder()
                .optResolution(resolution).optNumClasses(1000).build());

        // the paper scales the 224 count and rounds to 1M (160 px: 290.6M built vs 290M printed): allow 0.5%
        assertThat(summary.multAdds() / 1e6).isCloseTo(multAddsM, within(multAddsM * 0.005));
        assertThat(summary.trainableParameters()).isEqualTo(4_231_976L);
    }

    @Test
    void givenCifarDefaults_whenSummarised_thenStemKeepsResolutionAndFinalMapIsTwoByTwo() {
        ModelSummary summary = ModelSummary.of(ModelOptions.builder().build());

        assertThat(summary.options().stemStride()).isEqualTo(1);
        assertThat(summary.layers().get(0).outputShape()).containsExactly(32, 32, 32);
        assertThat(summary.layers().stream().filter(r -> r.name().equals("conv_pw_13")).findFirst().orElseThrow()
                .outputShape()).containsExactly(1024, 2, 2);
        // 3,228,864 conv/BN + 10,250 classifier: the ImageNet count minus the 1000-way head plus a 10-way head
        assertThat(summary.trainableParameters()).isEqualTo(4_231_976L - 1_025_000L + 10_250L);
    }

    @Test
    void givenRelu6AndDropout_whenSummarised_thenActivationAndDropoutLayersAppear() {
        ModelSummary summary = ModelSummary.of(ModelOptions.builder()
                .optActivation(Activation.RELU6).optDropout(0.2).build());

        assertThat(summary.layers()).anySatisfy(r -> assertThat(r.name()).isEqualTo("conv1_relu6"));
        assertThat(summary.layers()).anySatisfy(r -> assertThat(r.name()).isEqualTo("dropout"));
    }

    @Test
    void givenSummary_whenRendered_thenTableHasEveryLayerAndTotals() {
        ModelSummary summary = ModelSummary.of(ModelOptions.imagenet());

        String text = summary.render();

        assertThat(text).contains("conv_pw_13_bn (BatchNorm2d)", "(None, 1024, 7, 7)",
                "Trainable params: 4,231,976", "Non-trainable params: 21,888", "Total params: 4,253,864");
        assertThat(text.lines().filter(l -> l.startsWith(" conv") || l.startsWith(" pred") || l.startsWith(" glob")))
                .hasSize(summary.layers().size());
    }
}
