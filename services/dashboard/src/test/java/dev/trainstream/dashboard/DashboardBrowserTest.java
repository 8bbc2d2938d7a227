package dev.trainstream.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainstream.events.codec.EventCodec;
import dev.trainstream.events.produce.EventPublisher;
import dev.trainstream.events.topics.TopicAdmin;
import dev.trainstream.events.topics.Topics;
import dev.trainstream.infra.EmbeddedKafka;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run page in a real headless browser (Debian's Chromium driven by playwright-core, see src/test/browser): with a
 * run streaming events, the page shows the run, its loss chart gains points as events arrive, user input stays text,
 * and a screenshot lands in target/dashboard-run-page.png. Skipped, with the reason, where Chromium, node or the
 * script's node_modules are missing.
 */
class DashboardBrowserTest {
    static final Path BROWSER_DIR = Path.of("src/test/browser");
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final String RUN = "mobilenet-0.25 <img src=x onerror=alert(1)>";
    static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void givenARunStreamingEvents_whenTheRunPageIsOpen_thenTheRunShowsAndTheLossChartGainsPoints() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "Chromium missing: apt-get install -y chromium (expected " + CHROMIUM + ")");
        assumeTrue(nodeAvailable(), "node missing: apt-get install -y nodejs npm");
        assumeTrue(Files.isDirectory(BROWSER_DIR.resolve("node_modules/playwright-core")),
            "playwright-core missing: run npm ci in services/dashboard/src/test/browser");
        Path screenshot = Path.of("target/dashboard-run-page.png").toAbsolutePath();
        Files.createDirectories(screenshot.getParent());
        Files.deleteIfExists(screenshot);
        RunEvents run = new RunEvents(RUN);

        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
            TopicAdmin.ensureTopics(kafka.bootstrapServers(), Topics.all(), (short) 1);
            try (EventPublisher publisher = EventPublisher.create(kafka.bootstrapServers(),
                    EventCodec.create("/test/trainer"), "browser-test");
                 Dashboard dashboard = Dashboard.start(DashboardConfig.builder()
                     .kafkaBootstrap(kafka.bootstrapServers()).optHost("127.0.0.1").optPort(0).build())) {
                publisher.publish(Topics.RUNS, run.started());
                publishSteps(publisher, run, 1, 40);
                for (long step : new long[] {20, 40}) {
                    publisher.publish(Topics.CHECKPOINTS, run.checkpointAt(step));
                }
                publisher.publish(Topics.EVALUATIONS, run.cifarEvaluationAt(20, 35, true));
                publisher.publish(Topics.EVALUATIONS, run.cifarEvaluationAt(40, 52, true));

                Awaitility.await().atMost(STEP_TIMEOUT).until(() -> dashboard.registry().metrics(RUN, 39)
                    .map(page -> !page.series().isEmpty()).orElse(false));
                String url = dashboard.url() + "runs/" + URLEncoder.encode(RUN, StandardCharsets.UTF_8)
                    .replace("+", "%20");
                Process browser = new ProcessBuilder("node", "run-page.mjs", url, RUN, screenshot.toString())
                    .directory(BROWSER_DIR.toFile())
                    .redirectError(Path.of("target/dashboard-browser.log").toAbsolutePath().toFile())
                    .start();
                try {
                    BlockingQueue<String> lines = readLines(browser);
                    int before = points(next(lines, "POINTS "));
                    assertThat(before).isGreaterThanOrEqualTo(1).isLessThanOrEqualTo(40);

                    publishSteps(publisher, run, 41, 60);
                    publisher.publish(Topics.CHECKPOINTS, run.checkpointAt(60));
                    publisher.publish(Topics.EVALUATIONS, run.cifarEvaluationAt(60, 61, true));
                    try (Writer stdin = browser.outputWriter(StandardCharsets.UTF_8)) {
                        stdin.write("more 60 3\n");
                    }

                    int after = points(next(lines, "POINTS "));
                    JsonNode result = new ObjectMapper().readTree(next(lines, "RESULT ").substring("RESULT ".length()));
                    assertThat(after).isGreaterThan(before).isEqualTo(60);
                    assertThat(result.get("runIdShown").asText()).isEqualTo(RUN);
                    assertThat(result.get("headingElements").asInt()).as("markup in the run id became elements")
                        .isZero();
                    assertThat(result.get("dialogs")).as("script in user input ran").isEmpty();
                    assertThat(result.get("errors")).as("page errors or foreign requests").isEmpty();
                    assertThat(result.get("status").asText()).isEqualTo("running");
                    assertThat(result.get("canvases").asInt()).isEqualTo(6);
                    assertThat(result.get("classHeaders")).extracting(JsonNode::asText)
                        .containsExactlyElementsOf(RunEvents.CIFAR10);
                    assertThat(result.get("bestRows")).extracting(JsonNode::asLong).containsExactly(60L);
                    assertThat(result.get("live").asText()).isEqualTo("open");
                    assertThat(browser.waitFor(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
                    assertThat(browser.exitValue()).isZero();
                    assertThat(screenshot).isNotEmptyFile();
                } finally {
                    browser.destroyForcibly();
                }
            }
        }
    }

    private static void publishSteps(EventPublisher publisher, RunEvents run, long from, long to) {
        for (long step = from; step <= to; step++) {
            publisher.publish(Topics.METRICS, run.metricsAt(step));
        }
    }

    private static BlockingQueue<String> readLines(Process process) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("READ-FAILED " + e.getMessage());
            }
        }, "browser-stdout");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    /** The next line with the prefix; fails with the browser log's hint when none comes before the deadline. */
    private static String next(BlockingQueue<String> lines, String prefix) {
        String[] found = new String[1];
        Awaitility.await().atMost(STEP_TIMEOUT).pollInterval(Duration.ofMillis(50))
            .alias("browser printed " + prefix.trim() + " (see target/dashboard-browser.log)")
            .until(() -> {
                String line = lines.poll();
                if (line != null && line.startsWith(prefix)) {
                    found[0] = line;
                }
                return found[0] != null;
            });
        return found[0];
    }

    private static int points(String line) {
        return Integer.parseInt(line.substring("POINTS ".length()).trim());
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
