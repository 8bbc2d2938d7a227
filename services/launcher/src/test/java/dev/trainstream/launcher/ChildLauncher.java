package dev.trainstream.launcher;

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
 * {@code trainstream <command> ...} in its own JVM, started as a user starts it (the launcher's main class), so tests
 * can send it a real SIGTERM. Its output goes to a log file that failing assertions quote.
 */
final class ChildLauncher implements AutoCloseable {
    private final Process process;
    private final Path log;

    private ChildLauncher(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static ChildLauncher start(Path log, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-XX:+UseSerialGC");
        command.add("-Dai.djl.offline=true");
        command.add("-Dai.djl.pytorch.num_interop_threads=1");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(TrainstreamCommand.class.getName());
        command.addAll(args);
        try {
            Files.createDirectories(log.getParent());
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            return new ChildLauncher(process, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + args, e);
        }
    }

    /** Sends SIGTERM (what Kubernetes, {@code docker stop} and Ctrl-C send). */
    void sigterm() {
        process.destroy();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** The exit status, failing if the process is still running after {@code timeout}. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("process still running after " + timeout + "; log:\n" + output());
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
