package dev.trainstream.storage.checkpoint;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A checkpoint object: the engine's opaque training state plus the pipeline's own facts about it (run, step, epoch,
 * dataset, the next Kafka offset of every batch-topic partition, provenance), in one zip so they can never drift apart.
 * Shared by the trainer (writes, resumes) and the evaluator (reads).
 */
public record CheckpointArchive(Metadata metadata, byte[] engineState) {
    private static final String METADATA_ENTRY = "checkpoint.json";
    private static final String STATE_ENTRY = "engine-state.zip";
    /** Run facts and provenance are a few KB; a megabyte is already absurd. */
    private static final long MAX_METADATA_BYTES = 1L << 20;
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** The pipeline's facts about one checkpoint. */
    public record Metadata(int formatVersion, String runId, long step, int epoch, long batchesConsumed,
                           String datasetId, String manifestKey, List<String> classes,
                           Map<Integer, Long> nextOffsets, Map<String, String> provenance, Instant createdAt) {
        public static final int FORMAT_VERSION = 1;

        public Metadata {
            if (runId == null || runId.isBlank()) {
                throw new IllegalArgumentException("checkpoint metadata needs a runId");
            }
            classes = List.copyOf(classes);
            nextOffsets = Map.copyOf(nextOffsets);
            provenance = Map.copyOf(provenance);
        }
    }

    public byte[] encode() {
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream(engineState.length + 4096);
             ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry(METADATA_ENTRY));
            zip.write(JSON.writeValueAsBytes(metadata));
            zip.closeEntry();
            ZipEntry state = new ZipEntry(STATE_ENTRY);
            zip.setLevel(0);
            zip.putNextEntry(state);
            zip.write(engineState);
            zip.closeEntry();
            zip.finish();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode checkpoint of run " + metadata.runId(), e);
        }
    }

    /**
     * The rest of the current entry, failing as soon as it passes {@code limit} bytes (the zip's own size fields are
     * not trusted).
     */
    private static byte[] readAtMost(ZipInputStream zip, long limit, String name, String entry) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        for (int n = zip.read(buffer); n >= 0; n = zip.read(buffer)) {
            if (out.size() + (long) n > limit) {
                throw new CorruptCheckpointException("checkpoint " + name + ": entry " + entry + " is larger than "
                    + limit + " bytes");
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    /**
     * Decodes; {@code name} (e.g. the object URI) appears in the error.
     *
     * @throws CorruptCheckpointException if the bytes are not a checkpoint
     * @throws UnsupportedCheckpointFormatException if they are one of a newer format version
     */
    public static CheckpointArchive decode(byte[] bytes, String name) {
        Metadata metadata = null;
        byte[] state = null;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                if (METADATA_ENTRY.equals(entry.getName())) {
                    metadata = JSON.readValue(readAtMost(zip, MAX_METADATA_BYTES, name, METADATA_ENTRY),
                        Metadata.class);
                } else if (STATE_ENTRY.equals(entry.getName())) {
                    // Written uncompressed (level 0), so it is never larger than the object holding it.
                    state = readAtMost(zip, bytes.length, name, STATE_ENTRY);
                }
            }
        } catch (CorruptCheckpointException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new CorruptCheckpointException("checkpoint " + name + " is not a readable checkpoint archive: "
                + e.getMessage(), e);
        }
        if (metadata == null || state == null) {
            throw new CorruptCheckpointException("checkpoint " + name + " lacks " + (metadata == null ? METADATA_ENTRY
                : STATE_ENTRY));
        }
        if (metadata.formatVersion() > Metadata.FORMAT_VERSION) {
            throw new UnsupportedCheckpointFormatException("checkpoint " + name + " has format version "
                + metadata.formatVersion() + ", newer than this build reads (" + Metadata.FORMAT_VERSION
                + "): run a Trainstream that reads it");
        }
        if (metadata.formatVersion() != Metadata.FORMAT_VERSION) {
            throw new CorruptCheckpointException("checkpoint " + name + " has format version "
                + metadata.formatVersion() + "; this build reads " + Metadata.FORMAT_VERSION);
        }
        return new CheckpointArchive(metadata, state);
    }
}
