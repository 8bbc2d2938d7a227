package dev.trainstream.infra.junit;

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
 * A main class of the test's class path in a JVM of its own, so tests can SIGKILL or SIGTERM a real process (a
 * trainer, any {@code trainstream} command). Its output goes to a log file that failing assertions quote.
 */
public final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final Path log;

    private ChildJvm(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code mainClass} with {@code args}; {@code systemProperties} are {@code -Dname=value} options. A short
     * heap, C1 only and the serial collector: these JVMs live seconds, so start-up matters more than peak speed.
     */
    public static ChildJvm start(Path log, List<String> systemProperties, Class<?> mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-XX:+UseSerialGC");
        command.add("-Dai.djl.offline=true");
        command.add("-Dai.djl.pytorch.num_interop_threads=1");
        systemProperties.forEach(p -> command.add("-D" + p));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(args);
        try {
            Files.createDirectories(log.getParent());
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            return new ChildJvm(process, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + mainClass.getName() + " " + args, e);
        }
    }

    public Process process() {
        return process;
    }

    /** Sends SIGTERM (what Kubernetes, {@code docker stop} and Ctrl-C send). */
    public void sigterm() {
        process.destroy();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** The exit status, failing if the process is still running after {@code timeout}. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("process still running after " + timeout + "; log:\n" + output());
        }
        return process.exitValue();
    }

    /** Everything the process printed so far. */
    public String output() {
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
