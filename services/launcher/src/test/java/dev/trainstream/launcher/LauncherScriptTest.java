package dev.trainstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checkout's {@code ./trainstream} script keeps libtorch's one non-actionable native warning off the console on a
 * CPU run, passes every other stderr line and java's exit status through, and shows everything when a GPU is asked
 * for. A stand-in {@code java} on the PATH plays the JVM, so the script itself is what is tested.
 */
class LauncherScriptTest {
    private static final Path SCRIPT = Path.of("../../trainstream").toAbsolutePath().normalize();
    private static final String NATIVE_WARNING = "[W1207 20:42:11.123801451 LegacyTypeDispatch.h:74] Warning: "
        + "AutoNonVariableTypeMode is deprecated and will be removed in 1.10 release.";

    @TempDir
    Path dir;

    @Test
    void givenACpuRun_whenLibtorchWarnsAboutAutoNonVariableTypeMode_thenOnlyThatLineIsLeftOutAndTheStatusPasses()
        throws Exception {
        Result result = run(List.of("doctor"), "");

        assertThat(result.stdout()).contains("args: -Dai.djl.offline=true -jar " + dir.resolve("none.jar") + " doctor");
        assertThat(result.stderr()).doesNotContain("AutoNonVariableTypeMode").contains("a real problem");
        assertThat(result.status()).isEqualTo(3);
    }

    @Test
    void givenAGpuAskedFor_whenLibtorchWarns_thenEveryNativeLineIsShown() throws Exception {
        assertThat(run(List.of("trainer", "--device", "gpu:0"), "").stderr()).contains(NATIVE_WARNING, "a real problem");
        assertThat(run(List.of("trainer"), "gpu").stderr()).as("TRAINSTREAM_DEVICE=gpu").contains(NATIVE_WARNING);
    }

    private Result run(List<String> args, String device) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, String.join("\n", "#!/bin/sh", "echo '" + NATIVE_WARNING + "' >&2",
            "echo 'a real problem' >&2", "echo \"args: $*\"", "exit 3", ""));
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        builder.environment().put("TRAINSTREAM_JAR", dir.resolve("none.jar").toString());
        builder.environment().put("TRAINSTREAM_DEVICE", device);
        builder.environment().remove("TRAINSTREAM_EVAL_DEVICE");
        Process process = builder.start();
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        String stdout = read(process.getInputStream());
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the script ended").isTrue();
        return new Result(stdout, stderr.get(30, TimeUnit.SECONDS), process.exitValue());
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Result(String stdout, String stderr, int status) {
    }
}
