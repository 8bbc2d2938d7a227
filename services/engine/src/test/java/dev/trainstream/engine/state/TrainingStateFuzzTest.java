package dev.trainstream.engine.state;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Coverage-guided fuzzing of the training-state reader (the bytes inside a checkpoint object): it answers with a state
 * or an {@link IOException} ({@link IncompatibleStateException} and its kin), never another exception, an error, a
 * zip-bomb-sized allocation or a hang. Seed: a real state of a small model (docs/FUZZING.md).
 */
class TrainingStateFuzzTest {
    @FuzzTest(maxDuration = "10s")
    void read(byte[] bytes) {
        try {
            TrainingStateArchive.read(new ByteArrayInputStream(bytes));
        } catch (IOException expected) {
            // corrupt, truncated, incompatible or of a newer format: the documented answers
        }
    }
}
