package dev.trainstream.storage.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.trainstream.storage.checkpoint.CheckpointArchive;
import dev.trainstream.storage.checkpoint.CorruptCheckpointException;
import dev.trainstream.storage.checkpoint.UnsupportedCheckpointFormatException;
import dev.trainstream.storage.dataset.ShardCodec;

/**
 * Coverage-guided fuzzing of the decoders of objects read from the bucket: whatever the bytes, a decoder answers with
 * its value or its documented rejection, never another exception, an error or a hang. Without {@code JAZZER_FUZZ}
 * the committed seeds ({@code src/test/resources/.../StorageDecodingFuzzTestInputs}) run as regression tests; with it,
 * Jazzer mutates them (docs/FUZZING.md).
 */
class StorageDecodingFuzzTest {
    @FuzzTest(maxDuration = "10s")
    void checkpointArchive(byte[] bytes) {
        try {
            CheckpointArchive.decode(bytes, "s3://fuzz/runs/r/checkpoints/step-1.ckpt");
        } catch (CorruptCheckpointException | UnsupportedCheckpointFormatException expected) {
            // the documented answers to bytes that are not a checkpoint of this format
        }
    }

    @FuzzTest(maxDuration = "10s")
    void shard(byte[] bytes) {
        try {
            ShardCodec.decode(bytes, "s3://fuzz/shards/x.shard");
        } catch (IllegalArgumentException expected) {
            // the documented answer to bytes that are not a shard
        }
    }
}
