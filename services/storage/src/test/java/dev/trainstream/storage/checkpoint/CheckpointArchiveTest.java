package dev.trainstream.storage.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
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

    @Test
    void givenAnEngineStateExpandingBeyondTheObject_whenDecoded_thenCorruptWithoutInflatingIt() throws IOException {
        // Trainstream writes the engine state uncompressed, so it is never larger than the object; a bomb is.
        byte[] bytes = zip(java.util.zip.ZipEntry.DEFLATED, new byte[64 << 20]);
        assertThat(bytes.length).isLessThan(1 << 20);

        assertThatThrownBy(() -> CheckpointArchive.decode(bytes, "s3://b/runs/r/checkpoints/step-1.ckpt"))
            .isInstanceOf(CorruptCheckpointException.class)
            .hasMessageContaining("s3://b/runs/r/checkpoints/step-1.ckpt")
            .hasMessageContaining("entry engine-state.zip is larger than " + bytes.length + " bytes");
    }

    @Test
    void givenMetadataOverAMegabyte_whenDecoded_thenCorruptNamingTheEntry() throws IOException {
        byte[] bytes = zipMetadata(new byte[8 << 20]);

        assertThatThrownBy(() -> CheckpointArchive.decode(bytes, "s3://b/k"))
            .isInstanceOf(CorruptCheckpointException.class)
            .hasMessageContaining("checkpoint.json").hasMessageContaining("larger than 1048576 bytes");
    }

    private static byte[] zip(int method, byte[] state) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(out)) {
            java.util.zip.ZipEntry entry = new java.util.zip.ZipEntry("engine-state.zip");
            entry.setMethod(method);
            zip.putNextEntry(entry);
            zip.write(state);
            zip.closeEntry();
        }
        return out.toByteArray();
    }

    private static byte[] zipMetadata(byte[] metadata) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(out)) {
            zip.putNextEntry(new java.util.zip.ZipEntry("checkpoint.json"));
            zip.write(metadata);
            zip.closeEntry();
        }
        return out.toByteArray();
    }
}
