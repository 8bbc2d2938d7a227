package dev.trainstream.trainer;

import dev.trainstream.infra.junit.SharedPerTestRun;
import java.nio.file.Path;

/**
 * Hands every trainer test class the same {@link TrainerTestBed} (one broker, one S3 server for the module's test
 * run). Classes keep apart by using their own dataset and run ids.
 */
final class SharedTestBed extends SharedPerTestRun<TrainerTestBed> {
    SharedTestBed() {
        super(TrainerTestBed.class, "trainer-test-bed");
    }

    @Override
    protected TrainerTestBed start(Path dir) {
        return TrainerTestBed.start(dir);
    }
}
