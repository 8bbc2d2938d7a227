package dev.trainstream.storage.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Decoding tells a resume what it may skip: bytes that are not a checkpoint (or of an older format) are corrupt, a newer
 * format is unsupported (a newer build reads it, so it must not be passed over).
 */
class CheckpointArchiveTest {
    private static final byte[] STATE = {1, 2, 3, 4};

    private static CheckpointArchive archive(int version) {
        return new CheckpointArchive(new CheckpointArchive.Metadata(version, "run-a", 12, 2, 12, "ds", "datasets/ds.json",
            List.of("a", "b"), Map.of(0, 12L), Map.of("lr", "0.1"), Instant.parse("2026-01-01T00:00:00Z")), STATE);
    }

    @Test
    void givenTheCurrentFormat_whenEncodedAndDecoded_thenEqual() {
        CheckpointArchive decoded = CheckpointArchive.decode(archive(CheckpointArchive.Metadata.FORMAT_VERSION).encode(),
            "s3://b/k");

        assertThat(decoded.metadata()).isEqualTo(archive(CheckpointArchive.Metadata.FORMAT_VERSION).metadata());
        assertThat(decoded.engineState()).isEqualTo(STATE);
    }

    @Test
    void givenANewerFormatVersion_whenDecoded_thenUnsupportedNamingTheObjectAndVersion() {
        int newer = CheckpointArchive.Metadata.FORMAT_VERSION + 1;

        assertThatThrownBy(() -> CheckpointArchive.decode(archive(newer).encode(), "s3://b/runs/r/step-12.ckpt"))
            .isInstanceOf(UnsupportedCheckpointFormatException.class)
            .hasMessageContaining("s3://b/runs/r/step-12.ckpt").hasMessageContaining("format version " + newer);
    }

    @Test
    void givenGarbageTruncationOrAnOlderVersion_whenDecoded_thenCorruptNamingTheObject() {
        byte[] good = archive(CheckpointArchive.Metadata.FORMAT_VERSION).encode();
        byte[] truncated = java.util.Arrays.copyOf(good, good.length / 2);

        assertThatThrownBy(() -> CheckpointArchive.decode("not a zip".getBytes(StandardCharsets.UTF_8), "s3://b/x"))
            .isInstanceOf(CorruptCheckpointException.class).hasMessageContaining("s3://b/x");
        assertThatThrownBy(() -> CheckpointArchive.decode(truncated, "s3://b/t"))
            .isInstanceOf(CorruptCheckpointException.class).hasMessageContaining("s3://b/t");
        assertThatThrownBy(() -> CheckpointArchive.decode(archive(0).encode(), "s3://b/old"))
            .isInstanceOf(CorruptCheckpointException.class).hasMessageContaining("format version 0")
            .isNotInstanceOf(UnsupportedCheckpointFormatException.class);
    }
}
