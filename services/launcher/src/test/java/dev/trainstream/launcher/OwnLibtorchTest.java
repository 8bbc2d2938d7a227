package dev.trainstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainstream.engine.runtime.EngineRuntime;
import dev.trainstream.engine.runtime.LoadedNativeLibraries;
import dev.trainstream.engine.training.EngineOptions;
import dev.trainstream.infra.junit.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Use your own libtorch": {@code PYTORCH_LIBRARY_PATH} (with {@code PYTORCH_VERSION} and {@code PYTORCH_FLAVOR}) makes
 * DJL load the libtorch and JNI bridge of that folder instead of its bundled one, and {@code trainstream doctor} says
 * which files it loaded. Rehearsed here with a CPU libtorch in a folder of its own (a copy of the bundled one: this
 * machine has no CUDA libtorch; a GPU user points it at the {@code lib} folder of their PyTorch install).
 */
class OwnLibtorchTest {
    @TempDir
    Path dir;

    @Test
    void givenALibtorchFolderOfTheUsersOwn_whenDoctorRuns_thenThatFolderIsWhatWasLoaded() throws Exception {
        EngineRuntime.configure(EngineOptions.cpu(1));
        Path bundled = LoadedNativeLibraries.engineFiles().stream()
            .filter(p -> p.getFileName().toString().equals("libtorch_cpu.so")).findFirst()
            .orElseThrow(() -> new AssertionError("the bundled libtorch_cpu.so is not mapped into this JVM"))
            .getParent();
        Path own = Files.createDirectories(dir.resolve("my-libtorch/lib"));
        try (var files = Files.list(bundled)) {
            for (Path file : files.toList()) {
                linkOrCopy(file, own.resolve(file.getFileName()));
            }
        }

        try (ChildJvm doctor = ChildJvm.start(dir.resolve("doctor.log"), List.of("PYTORCH_LIBRARY_PATH=" + own,
            "PYTORCH_VERSION=2.7.1", "PYTORCH_FLAVOR=cpu"), TrainstreamCommand.class, List.of("doctor"))) {
            assertThat(doctor.awaitExit(Duration.ofMinutes(2))).as(doctor.output()).isZero();
            String printed = doctor.output();

            assertThat(printed).contains("libtorch: PYTORCH_LIBRARY_PATH=" + own + " PYTORCH_VERSION=2.7.1 "
                + "PYTORCH_FLAVOR=cpu", "build: CPU only", "engine=PyTorch libtorch=2.7.1");
            List<String> loaded = printed.lines().filter(l -> l.startsWith("loaded: ")).toList();
            assertThat(loaded).as(printed).contains("loaded: " + own.resolve("libtorch_cpu.so"))
                .anyMatch(l -> l.startsWith("loaded: " + own) && l.endsWith("libdjl_torch.so"))
                .as("nothing from the bundled folder").noneMatch(l -> l.startsWith("loaded: " + bundled));
        }
    }

    /** A hard link where the file system allows one (libtorch is hundreds of MB), else a copy. */
    private static void linkOrCopy(Path from, Path to) throws IOException {
        try {
            Files.createLink(to, from);
        } catch (IOException | UnsupportedOperationException e) {
            Files.copy(from, to);
        }
    }
}
