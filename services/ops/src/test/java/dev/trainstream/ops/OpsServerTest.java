package dev.trainstream.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The health and metrics endpoints answer as probes and scrapers expect. */
class OpsServerTest {
    private Vertx vertx;
    private WebClient client;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        client = WebClient.create(vertx);
    }

    @AfterEach
    void tearDown() throws Exception {
        client.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void givenAFailingCheck_whenProbed_thenLiveIs200AndReadyIs503UntilTheCheckPasses() throws Exception {
        AtomicBoolean restored = new AtomicBoolean(false);
        ReadinessCheck restore = ReadinessCheck.of("restore", () -> {
            if (!restored.get()) {
                throw new IllegalStateException("restoring checkpoint");
            }
        });
        PrometheusMeterRegistry registry = OpsServer.newRegistry("test-service");
        registry.counter("trainstream_probe_total").increment();
        OpsServer server = OpsServer.deploy(vertx, new OpsServer("test-service", "127.0.0.1", 0, registry, List.of(restore)));
        int port = server.actualPort();

        assertThat(get(port, OpsEndpoints.LIVE).statusCode()).isEqualTo(200);
        HttpResponse<Buffer> notReady = get(port, OpsEndpoints.READY);
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(notReady.bodyAsJsonObject().getJsonObject("checks").getString("restore")).isEqualTo("DOWN");
        assertThat(notReady.bodyAsString()).as("readiness is unauthenticated: no error text in it")
            .doesNotContain("restoring checkpoint");

        restored.set(true);
        assertThat(get(port, OpsEndpoints.READY).statusCode()).isEqualTo(200);

        HttpResponse<Buffer> metrics = get(port, OpsEndpoints.METRICS);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.getHeader("content-type")).startsWith("text/plain");
        assertThat(metrics.bodyAsString()).contains("trainstream_probe_total").contains("jvm_memory_used_bytes")
            .contains("service=\"test-service\"");
    }

    @Test
    void givenAnOutOfRangePort_whenConstructing_thenRejected() {
        assertThatThrownBy(
                () -> new OpsServer("s", "127.0.0.1", 70000, OpsServer.newRegistry("s"), List.of()))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http port");
    }

    @Test
    void givenABindAddress_whenDeployed_thenOnlyThatInterfaceAnswers() throws Exception {
        // All of 127.0.0.0/8 is loopback on Linux: a server bound to 127.0.0.2 must not answer on 127.0.0.1.
        OpsServer server = OpsServer.deploy(vertx,
            new OpsServer("bound", "127.0.0.2", 0, OpsServer.newRegistry("bound"), List.of()));
        int port = server.actualPort();

        assertThat(client.get(port, "127.0.0.2", OpsEndpoints.LIVE).send().toCompletionStage().toCompletableFuture()
            .get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> new java.net.Socket("127.0.0.1", port).close())
            .isInstanceOf(java.net.ConnectException.class);
    }

    @Test
    void theDefaultBindAddressIsLoopback() {
        assertThat(dev.trainstream.ops.config.ConnectionSettings.HTTP_BIND.required()).isEqualTo("127.0.0.1");
    }

    private HttpResponse<Buffer> get(int port, String path) throws Exception {
        return client.get(port, "127.0.0.1", path).send().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
