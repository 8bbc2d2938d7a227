package dev.trainstream.ops;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handlers behind {@link OpsEndpoints}, mounted on any Vert.x router: the services' {@link OpsServer} and the
 * dashboard's own server answer liveness, readiness and metrics the same way. Readiness checks and the Prometheus
 * scrape block, so they run on worker threads, never on the event loop. The routes answer without authentication,
 * so readiness says only UP or DOWN per check; why a check is down (which may name hosts, buckets or keys) goes to
 * the log, once each time the reason changes.
 */
public final class OpsRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(OpsRoutes.class);
    private final Vertx vertx;
    private final String service;
    private final PrometheusMeterRegistry registry;
    private final List<ReadinessCheck> checks;
    /** Per check, the reason it was last found down ("" while up), so the log says each change once. */
    private final Map<String, String> lastReasons = new ConcurrentHashMap<>();

    private OpsRoutes(Vertx vertx, String service, PrometheusMeterRegistry registry, List<ReadinessCheck> checks) {
        this.vertx = vertx;
        this.service = service;
        this.registry = registry;
        this.checks = List.copyOf(checks);
    }

    /** Adds {@code GET} routes for {@link OpsEndpoints#LIVE}, {@link OpsEndpoints#READY} and {@link OpsEndpoints#METRICS}. */
    public static void mount(Router router, Vertx vertx, String service, PrometheusMeterRegistry registry,
                             List<ReadinessCheck> checks) {
        if (router == null || vertx == null || service == null || service.isBlank() || registry == null
            || checks == null) {
            throw new IllegalArgumentException("router, vertx, service, registry and checks must be set");
        }
        OpsRoutes routes = new OpsRoutes(vertx, service, registry, checks);
        router.get(OpsEndpoints.LIVE).handler(routes::live);
        router.get(OpsEndpoints.READY).handler(routes::ready);
        router.get(OpsEndpoints.METRICS).handler(routes::metrics);
    }

    private void live(RoutingContext ctx) {
        ctx.json(new JsonObject().put("service", service).put("status", "UP"));
    }

    private void ready(RoutingContext ctx) {
        vertx.<JsonObject>executeBlocking(this::runChecks, false).onComplete(result -> {
            JsonObject body;
            if (result.succeeded()) {
                body = result.result();
            } else {
                LOG.warn("{} readiness could not be evaluated", service, result.cause());
                body = new JsonObject().put("service", service).put("status", "DOWN");
            }
            int status = "UP".equals(body.getString("status")) ? 200 : 503;
            ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
        });
    }

    private JsonObject runChecks() {
        JsonObject details = new JsonObject();
        boolean allUp = true;
        for (ReadinessCheck check : checks) {
            try {
                check.verify();
                details.put(check.name(), "UP");
                noteReason(check.name(), "");
            } catch (Exception e) { // a failing check is the answer "not ready"; its reason goes to the log only
                allUp = false;
                details.put(check.name(), "DOWN");
                noteReason(check.name(), String.valueOf(e.getMessage()));
            }
        }
        return new JsonObject().put("service", service).put("status", allUp ? "UP" : "DOWN").put("checks", details);
    }

    private void noteReason(String check, String reason) {
        String previous = lastReasons.put(check, reason);
        if (Objects.equals(previous, reason)) {
            return;
        }
        if (reason.isEmpty()) {
            LOG.info("{} readiness check {} is up", service, check);
        } else {
            LOG.warn("{} readiness check {} is down: {}", service, check, reason);
        }
    }

    private void metrics(RoutingContext ctx) {
        vertx.executeBlocking(registry::scrape, false).onComplete(result -> {
            if (result.succeeded()) {
                ctx.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(result.result());
            } else {
                ctx.fail(result.cause());
            }
        });
    }
}
