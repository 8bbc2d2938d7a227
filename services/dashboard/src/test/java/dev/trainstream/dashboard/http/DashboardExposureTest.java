package dev.trainstream.dashboard.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.trainstream.dashboard.view.RunChange;
import dev.trainstream.dashboard.view.RunRegistry;
import dev.trainstream.dashboard.view.ViewLimits;
import dev.trainstream.ops.OpsEndpoints;
import dev.trainstream.ops.OpsServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the dashboard's port lets a client do: a client that never reads is dropped while others keep their stream,
 * streams are capped, and with a token nothing but health and metrics answers without it.
 */
class DashboardExposureTest {
    private static final String TOKEN = "s3cret-token-0123456789";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Vertx vertx;
    private PrometheusMeterRegistry meters;
    private int port;

    @AfterEach
    void stop() throws Exception {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        if (meters != null) {
            meters.close();
        }
    }

    @Test
    void givenAClientThatNeverReads_whenChangesKeepComing_thenItIsDroppedAndAReadingClientKeepsItsStream()
        throws Exception {
        start(new HttpExposure("127.0.0.1", 0, Optional.empty(), 8, Duration.ofSeconds(3)));
        try (Socket stalled = new Socket(); Socket reading = openStream()) {
            stalled.setReceiveBufferSize(4096);
            stalled.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            request(stalled.getOutputStream(), "/api/events", null);
            EventCounter counter = new EventCounter(reading.getInputStream());
            await().atMost(Duration.ofSeconds(10)).until(() -> gauge("trainstream_dashboard_live_streams") == 2);
            assertThat(serverSideState(stalled)).as("the kernel lists the server's end").hasValue("01");

            // Publish in rounds the reading client has fully received, so the test never outruns the server: what
            // piles up is only what the stalled client does not take.
            String runId = "run-" + "x".repeat(200);
            long published = 0;
            long bytes = 0;
            long perEvent = ("event: metric\ndata: {\"runId\":\"" + runId + "\",\"kind\":\"metric\",\"step\":0}\n\n")
                .length();
            while (counter("trainstream_dashboard_live_streams_dropped_total") == 0 && bytes < 256L << 20) {
                for (int i = 0; i < 2000; i++) {
                    LiveUpdates.publish(vertx, new RunChange(runId, "metric", published++));
                }
                bytes += 2000 * perEvent;
                long expected = published;
                await().atMost(Duration.ofSeconds(30)).until(() -> counter.events.get() >= expected);
            }
            System.out.printf("stalled client dropped after %d changes, %.1f MB published%n", published,
                bytes / 1e6);

            assertThat(counter("trainstream_dashboard_live_streams_dropped_total"))
                .as("the stalled client is dropped, not buffered for").isEqualTo(1.0);
            assertThat(bytes).as("dropped once the kernel's buffers and the 256 KiB queue are full")
                .isLessThan(64L << 20);
            assertThat(gauge("trainstream_dashboard_live_streams")).as("a dropped stream frees its place").isEqualTo(1);
            long before = counter.events.get();
            LiveUpdates.publish(vertx, new RunChange("after", "checkpoint", 1));
            await().atMost(Duration.ofSeconds(2)).until(() -> counter.events.get() == before + 1);

            // Still without reading a byte: the write-stall timeout closes the connection outright (the kernel may
            // hold the unsent bytes a while longer, as FIN_WAIT1 of a socket the process no longer owns).
            await().atMost(Duration.ofSeconds(20))
                .until(() -> serverSideState(stalled).filter("01"::equals).isEmpty());

        }
    }

    @Test
    void givenTheCap_whenOneMoreStreamOpens_thenItIsRefusedUntilAStreamCloses() throws Exception {
        start(new HttpExposure("127.0.0.1", 0, Optional.empty(), 2));
        try (Socket first = openStream(); Socket second = openStream()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> gauge("trainstream_dashboard_live_streams") == 2);
            HttpResponse<String> third = get("/api/events", null);
            assertThat(third.statusCode()).isEqualTo(503);
            assertThat(third.headers().firstValue("retry-after")).isPresent();
            assertThat(counter("trainstream_dashboard_live_streams_refused_total")).isEqualTo(1.0);

            first.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> gauge("trainstream_dashboard_live_streams") == 1);
            try (Socket again = openStream()) {
                await().atMost(Duration.ofSeconds(10)).until(() -> gauge("trainstream_dashboard_live_streams") == 2);
            }
        }
    }

    @Test
    void givenAToken_whenRequested_thenOnlyHealthAndMetricsAnswerWithoutIt() throws Exception {
        start(new HttpExposure("127.0.0.1", 0, Optional.of(TOKEN), 8));

        for (String path : List.of("/", "/runs/a", "/compare?run=a&run=b", "/api/runs", "/api/runs/a/metrics",
            "/openapi.yaml", "/static/app.js", "/api/events")) {
            HttpResponse<String> refused = get(path, null);
            assertThat(refused.statusCode()).as(path).isEqualTo(401);
            assertThat(refused.headers().firstValue("www-authenticate")).as(path).hasValue("Bearer realm=\"trainstream\"");
            assertThat(get(path, "Bearer wrong-token-0123456789").statusCode()).as(path).isEqualTo(401);
        }
        assertThat(get("/api/runs", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
        assertThat(get("/api/runs?token=wrong-token-0123456789", null).statusCode()).isEqualTo(401);
        assertThat(get(OpsEndpoints.LIVE, null).statusCode()).isEqualTo(200);
        assertThat(get(OpsEndpoints.READY, null).statusCode()).isEqualTo(200);
        assertThat(get(OpsEndpoints.METRICS, null).statusCode()).isEqualTo(200);

        // A browser opens the link once: the token moves into an HttpOnly cookie and out of the address bar.
        HttpResponse<String> opened = get("/?token=" + TOKEN, null);
        assertThat(opened.statusCode()).isEqualTo(303);
        assertThat(opened.headers().firstValue("location")).hasValue("/");
        String cookie = opened.headers().firstValue("set-cookie").orElseThrow();
        assertThat(cookie).startsWith(BearerToken.COOKIE + "=" + TOKEN).containsIgnoringCase("HttpOnly")
            .contains("SameSite=Strict");
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(uri("/"))
            .header("cookie", cookie.split(";")[0]).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<html");

        // A shared compare link keeps its selection: only the token leaves the address.
        HttpResponse<String> compare = get("/compare?run=a%26b&token=" + TOKEN + "&run=c&x=epoch", null);
        assertThat(compare.statusCode()).isEqualTo(303);
        assertThat(compare.headers().firstValue("location")).hasValue("/compare?run=a%26b&run=c&x=epoch");
    }

    @Test
    void givenAShortTokenOrNoStreams_whenBuilt_thenRejected() {
        assertThatThrownBy(() -> new HttpExposure("127.0.0.1", 0, Optional.of("short"), 8))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 16");
        assertThatThrownBy(() -> new HttpExposure("127.0.0.1", 0, Optional.of("has a space in it, long enough"), 8))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("without spaces");
        assertThatThrownBy(() -> new HttpExposure("127.0.0.1", 0, Optional.empty(), 0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max-live-streams");
    }

    private void start(HttpExposure exposure) throws Exception {
        vertx = Vertx.vertx();
        meters = OpsServer.newRegistry("dashboard");
        DashboardServer server = new DashboardServer(exposure, new RunRegistry(ViewLimits.DEFAULT), meters, List.of());
        vertx.deployVerticle(server).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        port = server.actualPort();
    }

    private Socket openStream() throws Exception {
        Socket socket = new Socket("127.0.0.1", port);
        request(socket.getOutputStream(), "/api/events", null);
        return socket;
    }

    private static void request(OutputStream out, String path, String authorization) throws Exception {
        String auth = authorization == null ? "" : "Authorization: " + authorization + "\r\n";
        out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + auth + "\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            request.header("authorization", authorization);
        }
        if (path.startsWith("/api/events")) { // a stream answers at once with its headers, then never ends
            HttpResponse<InputStream> streaming = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            streaming.body().close();
            return new StatusOnly(streaming);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private double gauge(String name) {
        return meters.get(name).gauge().value();
    }

    private double counter(String name) {
        return meters.get(name).counter().count();
    }

    /**
     * The TCP state of the server's end of {@code client}'s connection as the kernel lists it ({@code 01} =
     * established), seen without reading the stream; empty once that end is gone.
     */
    private Optional<String> serverSideState(Socket client) throws Exception {
        String local = String.format(":%04X", client.getLocalPort());
        String server = String.format(":%04X", port);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of(table))) {
                String[] f = line.trim().split("\\s+"); // f[1] local address, f[2] remote address, f[3] state
                if (f.length > 3 && f[1].endsWith(server) && f[2].endsWith(local)) {
                    return Optional.of(f[3]);
                }
            }
        }
        return Optional.empty();
    }

    /** Counts the {@code event:} lines a reading client receives, on its own thread. */
    private static final class EventCounter {
        final AtomicLong events = new AtomicLong();

        EventCounter(InputStream in) {
            Thread reader = new Thread(() -> {
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        if (line.startsWith("event: ")) {
                            events.incrementAndGet();
                        }
                    }
                } catch (java.io.IOException closed) {
                    // the test closed the socket: counting ends
                }
            }, "sse-reader");
            reader.setDaemon(true);
            reader.start();
        }
    }

    /** A streamed response reduced to its status and headers, for assertions that need only those. */
    private record StatusOnly(HttpResponse<InputStream> streamed) implements HttpResponse<String> {
        @Override
        public int statusCode() {
            return streamed.statusCode();
        }

        @Override
        public HttpRequest request() {
            return streamed.request();
        }

        @Override
        public Optional<HttpResponse<String>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public java.net.http.HttpHeaders headers() {
            return streamed.headers();
        }

        @Override
        public String body() {
            return "";
        }

        @Override
        public Optional<javax.net.ssl.SSLSession> sslSession() {
            return streamed.sslSession();
        }

        @Override
        public URI uri() {
            return streamed.uri();
        }

        @Override
        public HttpClient.Version version() {
            return streamed.version();
        }
    }
}
