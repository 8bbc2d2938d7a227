package dev.trainstream.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A user in headless Chromium, as a child process running src/test/browser/run-page.mjs or compare-page.mjs
 * (playwright-core), spoken to in that script's line protocol. {@link #assumeAvailable()} skips the calling test,
 * saying what to install, where Chromium, node or the script's node_modules are missing.
 */
final class BrowserPage implements AutoCloseable {
    static final Path SCRIPT_DIR = Path.of("src/test/browser");
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    /** Longer than the script's own 60 s waits, so its error (in the log) comes first. */
    private static final Duration LINE_TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final Path log;
    private final Writer commands;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private volatile boolean outputEnded;

    private BrowserPage(Process process, Path log) {
        this.process = process;
        this.log = log;
        this.commands = process.outputWriter(StandardCharsets.UTF_8);
        Thread reader = new Thread(this::readLines, "browser-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /** Skips the calling test, with the reason, unless Chromium, node and playwright-core are all present. */
    static void assumeAvailable() {
        assumeTrue(Files.isExecutable(CHROMIUM), "Chromium missing: apt-get install -y chromium (expected " + CHROMIUM
            + ")");
        assumeTrue(nodeAvailable(), "node missing: apt-get install -y nodejs npm");
        assumeTrue(Files.isDirectory(SCRIPT_DIR.resolve("node_modules/playwright-core")),
            "playwright-core missing: run npm ci in services/dashboard/src/test/browser");
    }

    /**
     * Starts the browser on the dashboard's runs list; it waits there for {@code runId} to be listed.
     *
     * @param screenshot where {@code finish} saves the run page (replaced)
     * @param log where the script's stderr goes (Playwright's errors and timeouts)
     */
    static BrowserPage open(String dashboardUrl, String runId, Path screenshot, Path log) throws IOException {
        Files.createDirectories(screenshot.toAbsolutePath().getParent());
        Files.deleteIfExists(screenshot);
        Process process = new ProcessBuilder("node", "run-page.mjs", dashboardUrl, runId,
            screenshot.toAbsolutePath().toString())
            .directory(SCRIPT_DIR.toFile())
            .redirectError(log.toAbsolutePath().toFile())
            .start();
        return new BrowserPage(process, log);
    }

    /**
     * Starts the browser on the dashboard's runs list, where it ticks {@code runIds} and compares them
     * (compare-page.mjs); read what it saw with {@link #result()}.
     *
     * @param scoredPerRun checkpoints per run whose test accuracy the compare page must draw before it is read
     * @param screenshot   where the compare page is saved (replaced)
     * @param log          where the script's stderr goes
     */
    static BrowserPage compare(String dashboardUrl, List<String> runIds, int scoredPerRun, Path screenshot, Path log)
        throws IOException {
        Files.createDirectories(screenshot.toAbsolutePath().getParent());
        Files.deleteIfExists(screenshot);
        List<String> command = new ArrayList<>(List.of("node", "compare-page.mjs", dashboardUrl,
            screenshot.toAbsolutePath().toString(), Integer.toString(scoredPerRun)));
        command.addAll(runIds);
        Process process = new ProcessBuilder(command).directory(SCRIPT_DIR.toFile())
            .redirectError(log.toAbsolutePath().toFile()).start();
        return new BrowserPage(process, log);
    }

    /** What the runs list showed of the run ("LISTED"). */
    JsonNode listed() {
        return json(next("LISTED "));
    }

    /** The loss chart's point count the page reports next ("POINTS"). */
    int points() {
        return Integer.parseInt(next("POINTS ").trim());
    }

    /** Asks the page to wait until its loss chart holds at least {@code atLeast} points; read the count with points(). */
    void awaitPoints(long atLeast) {
        send("points " + atLeast);
    }

    /**
     * Opens, in a second tab, the compare page of the run and {@code otherRunId} (which the dashboard should not
     * hold) and returns what it shows of both ("COMPARED").
     */
    JsonNode compareWith(String otherRunId) {
        send("compare " + otherRunId);
        return json(next("COMPARED "));
    }

    /**
     * Waits until the checkpoint table has {@code rows} rows, {@code scored} of them with a test accuracy, and a
     * confusion matrix; then the screenshot is taken and the page's state returned. The script then exits with 0.
     */
    JsonNode finish(int rows, int scored) throws InterruptedException {
        send("finish " + rows + " " + scored);
        return result();
    }

    /** The script's final report ("RESULT"), once it has exited with 0. */
    JsonNode result() throws InterruptedException {
        JsonNode result = json(next("RESULT "));
        assertThat(process.waitFor(LINE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("browser script exited").isTrue();
        assertThat(process.exitValue()).as("browser script exit code (see " + log + ")").isZero();
        return result;
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    private void send(String command) {
        try {
            commands.write(command + "\n");
            commands.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("browser script stopped reading commands (see " + log + ")", e);
        }
    }

    /** The rest of the next line with {@code prefix}; fails early when the script exits without printing it. */
    private String next(String prefix) {
        String[] found = new String[1];
        Awaitility.await().atMost(LINE_TIMEOUT).pollInterval(Duration.ofMillis(50))
            .alias("browser printed " + prefix.trim() + " (see " + log + ")")
            .until(() -> {
                boolean ended = outputEnded;
                while (found[0] == null && !lines.isEmpty()) {
                    String line = lines.remove();
                    if (line.startsWith(prefix)) {
                        found[0] = line.substring(prefix.length());
                    }
                }
                if (found[0] == null && ended && lines.isEmpty()) {
                    throw new AssertionError("browser script ended its output before printing " + prefix.trim()
                        + "; see " + log);
                }
                return found[0] != null;
            });
        return found[0];
    }

    private void readLines() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                lines.add(line);
            }
        } catch (IOException e) {
            lines.add("READ-FAILED " + e.getMessage());
        } finally {
            outputEnded = true;
        }
    }

    private static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (IOException e) {
            throw new AssertionError("browser script printed malformed JSON: " + text, e);
        }
    }

    private static boolean nodeAvailable() {
        try {
            Process node = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            return node.waitFor(20, TimeUnit.SECONDS) && node.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
