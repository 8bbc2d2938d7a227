package dev.trainstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainstream.infra.junit.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CPU-only start, logged as users see it (the shipped log4j2.xml, not the tests'), shows no CUDA-driver warnings:
 * DJL logs "Failed to detect GPU count" twice on every start without a GPU, which tells a CPU user nothing.
 */
class QuietConsoleTest {
    @TempDir
    Path dir;

    @Test
    void givenNoGpu_whenACommandLoadsTheEngineWithTheShippedLogging_thenNoCudaDriverWarningReachesTheConsole()
        throws Exception {
        try (ChildJvm doctor = ChildJvm.start(dir.resolve("doctor.log"), List.of("log4j2.configurationFile=log4j2.xml"),
            TrainstreamCommand.class, List.of("doctor"))) {
            assertThat(doctor.awaitExit(Duration.ofMinutes(2))).as(doctor.output()).isZero();

            assertThat(doctor.output()).as("the engine was loaded").contains("engine=PyTorch", "devices=[cpu()]")
                .doesNotContain("Failed to detect GPU count", "CudaUtils");
        }
    }
}
