package dev.trainstream.trainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A trainer in its own JVM ({@link TrainerProcessMain} on this test's class path), so tests can SIGKILL or SIGTERM a
 * real process. Its output goes to a log file that failing assertions quote.
 */
final class ChildTrainer implements AutoCloseable {
    private final Process process;
    private final Path log;

    private ChildTrainer(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts a trainer with {@code settings}; {@code crashAt} (a {@link CrashPoint} spec) may be null. */
    static ChildTrainer start(RunSettings settings, String crashAt, Path log) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        // A short-lived JVM: quick start-up matters more than peak JIT (the arithmetic is libtorch's either way).
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-XX:+UseSerialGC");
        command.add("-Dai.djl.offline=true");
        command.add("-Dai.djl.pytorch.num_interop_threads=1");
        if (crashAt != null) {
            command.add("-D" + CrashPoint.PROPERTY + "=" + crashAt);
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(TrainerProcessMain.class.getName());
        command.addAll(settings.toArgs());
        try {
            Files.createDirectories(log.getParent());
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            return new ChildTrainer(process, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a trainer process", e);
        }
    }

    Process process() {
        return process;
    }

    /** The exit status, failing if the process is still running after {@code timeout}. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("trainer process still running after " + timeout + "; log:\n" + output());
        }
        return process.exitValue();
    }

    /** Everything the process printed so far. */
    String output() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
