package dev.trainstream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainstream.engine.model.Activation;
import org.junit.jupiter.api.Test;

/** Command-line parsing: the issue's defaults, overrides, and errors naming the option. */
class BenchOptionsTest {

    @Test
    void givenNoArguments_whenParsed_thenIssueDefaults() {
        BenchOptions options = BenchOptions.parse();

        assertThat(options.trainBatch()).isEqualTo(128);
        assertThat(options.evalBatch()).isEqualTo(256);
        assertThat(options.threads()).isEqualTo(2);
        assertThat(options.activation()).isEqualTo(Activation.RELU);
        assertThat(options.python()).isEqualTo("/usr/bin/python3");
    }

    @Test
    void givenOverrides_whenParsed_thenApplied() {
        BenchOptions options = BenchOptions.parse("--rounds", "7", "--activation", "relu6", "--long", "1000");

        assertThat(options.rounds()).isEqualTo(7);
        assertThat(options.activation()).isEqualTo(Activation.RELU6);
        assertThat(options.longSteps()).isEqualTo(1000);
    }

    @Test
    void givenBadArguments_whenParsed_thenErrorNamesTheOption() {
        assertThatThrownBy(() -> BenchOptions.parse("--rounds", "0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--rounds");
        assertThatThrownBy(() -> BenchOptions.parse("--threads", "two"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--threads");
        assertThatThrownBy(() -> BenchOptions.parse("--bogus", "1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--bogus");
        assertThatThrownBy(() -> BenchOptions.parse("--rounds"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a value");
    }
}
