package dev.trainstream.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainstream.events.codec.EventCodec;
import dev.trainstream.events.produce.EventPublisher;
import dev.trainstream.events.topics.TopicAdmin;
import dev.trainstream.events.topics.Topics;
import dev.trainstream.infra.EmbeddedKafka;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard against a real broker: history published before it starts is replayed, the REST API answers as
 * openapi.yaml says, live changes reach Server-Sent Events streams, and user-supplied names come back verbatim as data.
 */
class DashboardApiTest {
    /** A run id a user might type, with characters that must never become markup. */
    static final String RUN = "run <i>1</i> & \"quoted\"";
    static final RunEvents EVENTS = new RunEvents(RUN);

    @TempDir
    static Path dir;
    static EmbeddedKafka kafka;
    static EventPublisher publisher;
    static Dashboard dashboard;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void startWithHistory() {
        kafka = EmbeddedKafka.start(dir.resolve("kafka"));
        TopicAdmin.ensureTopics(kafka.bootstrapServers(), Topics.all(), (short) 1);
        publisher = EventPublisher.create(kafka.bootstrapServers(), EventCodec.create("/test/trainer"), "test");
        publisher.publish(Topics.RUNS, EVENTS.started());
        for (long step = 10; step <= 50; step += 10) {
            publisher.publish(Topics.METRICS, EVENTS.metricsAt(step));
        }
        publisher.publish(Topics.CHECKPOINTS, EVENTS.checkpointAt(50));
        publisher.publish(Topics.EVALUATIONS, EVENTS.evaluationAt(50, 24, true));
        dashboard = Dashboard.start(config());
        await().atMost(Duration.ofSeconds(60)).until(dashboard::caughtUp);
    }

    static DashboardConfig config() {
        return DashboardConfig.builder().kafkaBootstrap(kafka.bootstrapServers()).optHost("127.0.0.1").optPort(0)
            .build();
    }

    @AfterAll
    static void stop() {
        try {
            if (dashboard != null) {
                dashboard.close();
            }
            if (publisher != null) {
                publisher.close();
            }
        } finally {
            if (kafka != null) {
                kafka.close();
            }
        }
    }

    @Test
    void givenHistoryPublishedBeforeStart_whenListingRuns_thenTheRunShowsWithStatusStepsAndBestAccuracy() throws Exception {
        JsonNode runs = getJson("/api/runs", 200);
        JsonNode run = find(runs, RUN);
        assertThat(run.get("status").asText()).isEqualTo("running");
        assertThat(run.get("datasetId").asText()).isEqualTo("synthetic-3c");
        assertThat(run.get("steps").asLong()).isGreaterThanOrEqualTo(50);
        assertThat(run.get("bestAccuracy").asDouble()).isEqualTo(24 / 30.0);
        assertThat(run.get("lastUpdate").asText()).startsWith("2026-01-05T10:");
    }

    @Test
    void givenARunIdWithMarkup_whenFetchingTheRun_thenItComesBackVerbatimAsJsonData() throws Exception {
        JsonNode run = getJson("/api/runs/" + path(RUN), 200);
        assertThat(run.at("/summary/runId").asText()).isEqualTo(RUN);
        assertThat(run.at("/config/model/widthMultiplier").asDouble()).isEqualTo(0.25);
        assertThat(run.at("/provenance/git.commit").asText()).isEqualTo("1d002af");
        assertThat(run.at("/checkpoints/0/step").asLong()).isEqualTo(50);
        assertThat(run.at("/checkpoints/0/best").asBoolean()).isTrue();
        assertThat(run.get("metricKeys")).extracting(JsonNode::asText).contains("train.loss", "data_wait_ms");
        assertThat(run.get("stepsPerEpoch").isNull()).as("no epoch completed yet").isTrue();
    }

    @Test
    void givenSince_whenFetchingMetrics_thenOnlyLaterStepsComeBack() throws Exception {
        JsonNode page = getJson("/api/runs/" + path(RUN) + "/metrics?since=30", 200);
        assertThat(page.at("/series/train.loss")).extracting(p -> p.get("step").asLong()).startsWith(40L, 50L);
        assertThat(page.get("lastStep").asLong()).isGreaterThanOrEqualTo(50);
    }

    @Test
    void givenAnEvaluation_whenFetchingEvaluations_thenClassNamesAndConfusionMatrixAreData() throws Exception {
        JsonNode evaluation = getJson("/api/runs/" + path(RUN) + "/evaluations", 200).get(0);
        assertThat(evaluation.get("classes")).extracting(JsonNode::asText).containsExactlyElementsOf(RunEvents.CLASSES);
        assertThat(evaluation.get("confusionMatrix")).hasSize(3);
        assertThat(evaluation.get("promoted").asBoolean()).isTrue();
    }

    @Test
    void givenBadInput_whenCallingTheApi_thenProblemResponsesNotErrors() throws Exception {
        assertThat(getJson("/api/runs/no-such-run", 404).get("title").asText()).isEqualTo("no such run");
        assertThat(getJson("/api/runs/no-such-run/evaluations", 404).get("status").asInt()).isEqualTo(404);
        assertThat(getJson("/api/runs/" + path(RUN) + "/metrics?since=abc", 400).get("title").asText())
            .contains("since");
        assertThat(getJson("/api/runs/" + path(RUN) + "/metrics?since=-5", 400).get("status").asInt()).isEqualTo(400);
    }

    @Test
    void givenAnOpenEventStream_whenNewMetricsArePublished_thenAMetricsEventArrivesForThatRunOnly() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri("/api/events?run=" + URLEncoder.encode(RUN,
            StandardCharsets.UTF_8))).build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
            v -> assertThat(v).startsWith("text/event-stream"));
        List<String> lines = new CopyOnWriteArrayList<>();
        try (InputStream body = response.body()) {
            Thread reader = new Thread(() -> readLines(body, lines), "sse-reader");
            reader.setDaemon(true);
            reader.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> lines.contains(": connected"));

            publisher.publish(Topics.METRICS, new RunEvents("another run").metricsAt(5));
            publisher.publish(Topics.METRICS, EVENTS.metricsAt(60));

            await().atMost(Duration.ofSeconds(20)).until(() -> lines.contains("event: metrics"));
            String data = lines.get(lines.indexOf("event: metrics") + 1);
            JsonNode change = json.readTree(data.substring("data: ".length()));
            assertThat(change.get("runId").asText()).isEqualTo(RUN);
            assertThat(change.get("step").asLong()).isEqualTo(60);
            assertThat(lines).noneMatch(l -> l.contains("another run"));
        }
    }

    @Test
    void givenPagesAndAssets_whenFetched_thenServedFromTheClasspathWithAStrictContentSecurityPolicy() throws Exception {
        HttpResponse<String> index = get("/");
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.body()).contains("/static/runs.js");
        assertThat(index.headers().firstValue("content-security-policy")).hasValueSatisfying(
            csp -> assertThat(csp).contains("default-src 'self'").doesNotContain("unsafe-inline"));
        HttpResponse<String> runPage = get("/runs/" + path(RUN));
        assertThat(runPage.statusCode()).isEqualTo(200);
        assertThat(runPage.body()).contains("/webjars/uplot/1.6.30/dist/uPlot.iife.min.js").doesNotContain(RUN);
        HttpResponse<String> uplot = get("/webjars/uplot/1.6.30/dist/uPlot.iife.min.js");
        assertThat(uplot.statusCode()).isEqualTo(200);
        assertThat(uplot.body()).contains("uPlot");
        HttpResponse<String> comparePage = get("/compare?run=" + path(RUN) + "&run=other");
        assertThat(comparePage.statusCode()).isEqualTo(200);
        assertThat(comparePage.body()).contains("/static/compare.js", "/static/charts.js").doesNotContain(RUN);
        assertThat(comparePage.headers().firstValue("content-security-policy")).hasValueSatisfying(
            csp -> assertThat(csp).contains("default-src 'self'").doesNotContain("unsafe-inline"));
        for (String script : List.of("/static/dom.js", "/static/runs.js", "/static/run.js", "/static/charts.js",
            "/static/compare.js")) {
            assertThat(get(script).body()).as(script).doesNotContain("innerHTML", "insertAdjacentHTML", "eval(");
        }
    }

    @Test
    void givenTheOpenApiDocument_whenFetched_thenItDocumentsEveryApiRoute() throws Exception {
        HttpResponse<String> spec = get("/openapi.yaml");
        assertThat(spec.statusCode()).isEqualTo(200);
        assertThat(spec.body()).contains("openapi: 3.1.0", "/api/runs:", "/api/runs/{runId}:",
            "/api/runs/{runId}/metrics:", "/api/runs/{runId}/evaluations:", "/api/events:", "/health/ready:",
            "stepsPerEpoch:");
    }

    @Test
    void givenTheReplayIsComplete_whenProbed_thenReadyAndMetricsCountConsumedEvents() throws Exception {
        assertThat(get("/health/live").statusCode()).isEqualTo(200);
        assertThat(getJson("/health/ready", 200).at("/checks/history").asText()).isEqualTo("UP");
        assertThat(get("/metrics").body()).contains("trainstream_dashboard_events_total",
            "topic=\"trainstream.metrics.v1\"", "trainstream_dashboard_runs");
    }

    @Test
    void givenASecondDashboardStartedLater_whenItCatchesUp_thenItHasTheSameHistory() {
        try (Dashboard second = Dashboard.start(config())) {
            await().atMost(Duration.ofSeconds(60)).until(second::caughtUp);
            assertThat(second.port()).isNotEqualTo(dashboard.port());
            assertThat(second.registry().detail(RUN).orElseThrow().checkpoints()).hasSize(1);
            assertThat(second.registry().metrics(RUN, 40).orElseThrow().series().get("train.loss"))
                .isNotEmpty();
        }
    }

    @Test
    void givenAnInvalidPort_whenBuildingTheConfig_thenTheSettingIsNamed() {
        assertThatThrownBy(() -> DashboardConfig.builder().kafkaBootstrap("x:1").optPort(70000).build())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port");
        assertThatThrownBy(() -> DashboardConfig.builder().build())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bootstrap");
    }

    private static void readLines(InputStream body, List<String> lines) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line);
            }
        } catch (java.io.IOException e) {
            lines.add("closed: " + e.getMessage());
        }
    }

    private static JsonNode find(JsonNode runs, String runId) {
        for (JsonNode run : runs) {
            if (run.get("runId").asText().equals(runId)) {
                return run;
            }
        }
        throw new AssertionError("run " + runId + " not listed in " + runs);
    }

    private static String path(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + dashboard.port() + path);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode getJson(String path, int expectedStatus) throws Exception {
        HttpResponse<String> response = get(path);
        assertThat(response.statusCode()).as(path + " -> " + response.body()).isEqualTo(expectedStatus);
        return json.readTree(response.body());
    }
}
