package dev.trainstream.launcher;

import dev.trainstream.infra.LocalInfrastructure;
import dev.trainstream.infra.junit.SharedPerTestRun;
import java.nio.file.Path;

/**
 * One broker and one S3 server for every launcher test class that drives commands against running infrastructure.
 * Classes keep apart by their own run ids, consumer groups and datasets ({@code up} starts its own, as a user's would).
 */
final class SharedInfrastructure extends SharedPerTestRun<LocalInfrastructure> {
    SharedInfrastructure() {
        super(LocalInfrastructure.class, "launcher-test-infra");
    }

    @Override
    protected LocalInfrastructure start(Path dir) {
        return LocalInfrastructure.start(dir);
    }
}
