package dev.trainstream.ops;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Vert.x verticle serving {@link OpsEndpoints}: liveness, readiness (blocking checks run on worker threads) and
 * Prometheus metrics. Its {@code start()} completes only once the server listens, so a taken port fails the start.
 */
public final class OpsServer extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(OpsServer.class);

    private final String service;
    private final String host;
    private final int requestedPort;
    private final PrometheusMeterRegistry registry;
    private final List<ReadinessCheck> checks;
    private HttpServer server;

    /**
     * @param service name reported in responses and logs
     * @param host interface to listen on (127.0.0.1 outside containers, 0.0.0.0 in them)
     * @param port port to listen on (0 = any free port; see {@link #actualPort()})
     * @param registry registry scraped by {@code /metrics}; JVM metrics are bound to it here
     * @param checks readiness checks; all must pass for {@code /health/ready} to answer 200
     */
    public OpsServer(String service, String host, int port, PrometheusMeterRegistry registry,
                     List<ReadinessCheck> checks) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("http port must be 0..65535, was " + port);
        }
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("http bind address must be set");
        }
        this.service = service;
        this.host = host;
        this.requestedPort = port;
        this.registry = registry;
        this.checks = List.copyOf(checks);
    }

    /** A Prometheus registry with JVM memory, GC, thread and CPU metrics bound and a {@code service} common tag. */
    public static PrometheusMeterRegistry newRegistry(String service) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags("service", service);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        return registry;
    }

    /** Deploys a server on {@code vertx} and waits until it listens; returns the deployed verticle. */
    public static OpsServer deploy(Vertx vertx, OpsServer server) {
        try {
            vertx.deployVerticle(server).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            return server;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the HTTP server of " + server.service, e);
        } catch (Exception e) {
            throw new IllegalStateException("HTTP server of " + server.service + " failed to start on "
                + server.host + ":" + server.requestedPort + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Future<?> start() {
        Router router = Router.router(vertx);
        OpsRoutes.mount(router, vertx, service, registry, checks);
        return vertx.createHttpServer().requestHandler(router).listen(requestedPort, host)
            .onSuccess(s -> {
                server = s;
                LOG.info("{} serves health and metrics on {}:{}", service, host, s.actualPort());
            });
    }

    /** The port the server listens on (meaningful after deployment). */
    public int actualPort() {
        return server == null ? -1 : server.actualPort();
    }
}
