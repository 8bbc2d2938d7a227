package dev.trainstream.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainstream.storage.S3Settings;
import java.net.URI;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** A bad trainer setting fails at start-up with a message naming it. */
class TrainerConfigTest {
    private static final S3Settings S3 = new S3Settings(URI.create("http://127.0.0.1:9000"), "a", "b", "bucket",
        "us-east-1");

    @Test
    void givenValidSettings_whenBuilt_thenTheRunHasItsOwnConsumerGroup() {
        assertThat(settings(s -> { }).toConfig().consumerGroup()).isEqualTo("trainstream-trainer-run-1");
    }

    @Test
    void givenANegativeCheckpointInterval_whenBuilt_thenRejectedNamingIt() {
        assertThatThrownBy(() -> settings(s -> s.checkpointIntervalMillis = -1).toConfig())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("checkpoint interval");
    }

    @Test
    void givenAZeroGracePeriod_whenBuilt_thenRejectedNamingIt() {
        assertThatThrownBy(() -> settings(s -> s.graceSeconds = 0).toConfig())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("grace period");
    }

    @Test
    void givenNoCheckpointToKeep_whenBuilt_thenRejectedNamingIt() {
        assertThatThrownBy(() -> settings(s -> s.keepCheckpoints = 0).toConfig())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keep checkpoints");
    }

    @Test
    void givenARunIdWithASlash_whenBuilt_thenRejectedNamingIt() {
        assertThatThrownBy(() -> settings(s -> s.runId = "a/b").toConfig())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("run id");
    }

    private static RunSettings settings(Consumer<RunSettings> change) {
        RunSettings settings = new RunSettings("run-1", "ds-1", "127.0.0.1:9092", S3);
        change.accept(settings);
        return settings;
    }
}
