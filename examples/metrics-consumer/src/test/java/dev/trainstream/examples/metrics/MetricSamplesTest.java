package dev.trainstream.examples.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** De-duplication, printing and schema validation of the example, without a broker. */
class MetricSamplesTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void givenTheSameRunStepAndKey_whenSeenTwice_thenOnlyTheFirstCountsAndOtherKeysOrStepsAreNew() {
        SeenSamples seen = new SeenSamples(10);
        assertThat(seen.firstTime(new MetricSample("r", "train.loss", 5, 1.0, 1))).isTrue();
        assertThat(seen.firstTime(new MetricSample("r", "train.loss", 5, 0.9, 2))).isFalse();
        assertThat(seen.firstTime(new MetricSample("r", "train.accuracy", 5, 0.5, 1))).isTrue();
        assertThat(seen.firstTime(new MetricSample("r", "train.loss", 6, 0.8, 3))).isTrue();
        assertThat(seen.firstTime(new MetricSample("other", "train.loss", 5, 1.0, 1))).isTrue();
    }

    @Test
    void givenMoreIdentitiesThanTheCapacity_whenOffered_thenTheOldestIsForgotten() {
        SeenSamples seen = new SeenSamples(2);
        seen.firstTime(new MetricSample("r", "k", 1, 0, 0));
        seen.firstTime(new MetricSample("r", "k", 2, 0, 0));
        seen.firstTime(new MetricSample("r", "k", 3, 0, 0));
        assertThat(seen.firstTime(new MetricSample("r", "k", 1, 0, 0))).isTrue();
        assertThatThrownBy(() -> new SeenSamples(0)).hasMessageContaining("capacity");
    }

    @Test
    void givenARunIdWithQuotesAndControlCharacters_whenRendered_thenItCannotForgeFields() {
        String line = new MetricSample("a\" step=99 \u001b[2J", "loss", 1, 0.5, 7).render();
        assertThat(line).isEqualTo("run=\"a\\\" step=99 \\u001b[2J\" step=1 key=\"loss\" value=0.5 ts=7");
    }

    @Test
    void givenPayloads_whenValidated_thenOnlySchemaConformingOnesPass() throws Exception {
        MetricSchema schema = MetricSchema.fromClasspath();
        assertThat(schema.violations(json.readTree(
            "{\"runId\":\"r\",\"metrics\":[{\"key\":\"train.loss\",\"value\":1.5,\"timestamp\":1,\"step\":0}]}")))
            .isEmpty();
        assertThat(schema.violations(json.readTree(
            "{\"runId\":\"r\",\"metrics\":[{\"key\":\"train.loss\",\"value\":1.5,\"timestamp\":1,\"step\":-1}]}")))
            .singleElement().asString().contains("step");
        assertThat(schema.violations(json.readTree("{\"runId\":\"r\",\"metrics\":[]}"))).isNotEmpty();
        assertThat(schema.violations(json.readTree(
            "{\"runId\":\"r\",\"metrics\":[{\"key\":\"k\",\"value\":1,\"timestamp\":1,\"step\":1}],\"extra\":1}")))
            .isNotEmpty();
    }
}
