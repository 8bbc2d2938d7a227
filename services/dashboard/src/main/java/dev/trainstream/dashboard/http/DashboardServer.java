package dev.trainstream.dashboard.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainstream.dashboard.view.RunRegistry;
import dev.trainstream.events.codec.EventCodec;
import dev.trainstream.ops.OpsEndpoints;
import dev.trainstream.ops.OpsRoutes;
import dev.trainstream.ops.ReadinessCheck;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's HTTP side: REST over the {@link RunRegistry}, Server-Sent Events, the pages and their assets
 * (uPlot from its WebJar), the OpenAPI document, and the {@link OpsEndpoints} health and metrics routes. With a
 * token ({@link HttpExposure}) everything but health and metrics requires it ({@link BearerToken}).
 * {@code start()} completes only once the server listens.
 */
public final class DashboardServer extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(DashboardServer.class);
    /** Pages build their DOM with textContent; the policy also forbids inline and foreign scripts. */
    private static final String CSP = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
        + "frame-ancestors 'none'; form-action 'none'";

    private final HttpExposure exposure;
    private final RunRegistry registry;
    private final PrometheusMeterRegistry meters;
    private final List<ReadinessCheck> checks;
    private final ObjectMapper json = EventCodec.newMapper();
    private HttpServer server;

    /**
     * @param exposure where it listens, its token, its live-stream cap
     * @param registry the runs served
     * @param meters   registry scraped by {@code /metrics}
     * @param checks   readiness checks; all must pass for {@code /health/ready} to answer 200
     */
    public DashboardServer(HttpExposure exposure, RunRegistry registry, PrometheusMeterRegistry meters,
                           List<ReadinessCheck> checks) {
        if (exposure == null) {
            throw new IllegalArgumentException("exposure must be set");
        }
        this.exposure = exposure;
        this.registry = registry;
        this.meters = meters;
        this.checks = List.copyOf(checks);
    }

    @Override
    public Future<?> start() {
        Router router = Router.router(vertx);
        router.route().handler(this::securityHeaders);
        OpsRoutes.mount(router, vertx, "dashboard", meters, checks);
        // Routes match in order: health and metrics above answer without the token, everything below needs it.
        exposure.token().ifPresent(token -> router.route().handler(new BearerToken(token)::handle));
        router.get("/api/runs").handler(this::runs);
        router.get("/api/runs/:runId").handler(this::run);
        router.get("/api/runs/:runId/metrics").handler(this::runMetrics);
        router.get("/api/runs/:runId/evaluations").handler(this::evaluations);
        router.get("/api/events").handler(new LiveUpdates(vertx, exposure.maxLiveStreams(), meters)::stream);
        router.get("/openapi.yaml").handler(ctx -> ctx.response().putHeader("content-type", "application/yaml")
            .sendFile("openapi.yaml"));
        router.get("/").handler(ctx -> page(ctx, "webroot/index.html"));
        router.get("/runs/:runId").handler(ctx -> page(ctx, "webroot/run.html"));
        router.get("/compare").handler(ctx -> page(ctx, "webroot/compare.html"));
        router.get("/static/*").handler(StaticHandler.create("webroot"));
        router.get("/webjars/*").handler(StaticHandler.create("META-INF/resources/webjars"));
        // A connection whose client takes nothing for writeStall is closed outright (a polite close would wait for it).
        HttpServerOptions options = new HttpServerOptions().setIdleTimeoutUnit(TimeUnit.SECONDS)
            .setWriteIdleTimeout((int) exposure.writeStall().toSeconds());
        return vertx.createHttpServer(options).requestHandler(router).listen(exposure.port(), exposure.host())
            .onSuccess(s -> {
                server = s;
                LOG.info("Dashboard listens on http://{}:{}/ ({})", exposure.host(), s.actualPort(),
                    exposure.token().isPresent() ? "token required" : "no token: open to whoever reaches the port");
            });
    }

    /** The port the server listens on (after deployment). */
    public int actualPort() {
        return server == null ? -1 : server.actualPort();
    }

    private void securityHeaders(RoutingContext ctx) {
        ctx.response().putHeader("content-security-policy", CSP).putHeader("x-content-type-options", "nosniff")
            .putHeader("referrer-policy", "no-referrer");
        ctx.next();
    }

    private static void page(RoutingContext ctx, String file) {
        ctx.response().putHeader("content-type", "text/html; charset=utf-8").sendFile(file);
    }

    private void runs(RoutingContext ctx) {
        sendJson(ctx, registry.summaries());
    }

    private void run(RoutingContext ctx) {
        sendOrNotFound(ctx, registry.detail(ctx.pathParam("runId")));
    }

    private void evaluations(RoutingContext ctx) {
        sendOrNotFound(ctx, registry.evaluations(ctx.pathParam("runId")));
    }

    private void runMetrics(RoutingContext ctx) {
        String since = ctx.request().getParam("since");
        long after;
        try {
            after = since == null ? -1 : Long.parseLong(since);
        } catch (NumberFormatException e) {
            after = -2;
        }
        if (after < -1) {
            problem(ctx, 400, "since must be an integer step >= -1");
            return;
        }
        sendOrNotFound(ctx, registry.metrics(ctx.pathParam("runId"), after));
    }

    private void sendOrNotFound(RoutingContext ctx, Optional<?> body) {
        if (body.isEmpty()) {
            problem(ctx, 404, "no such run");
        } else {
            sendJson(ctx, body.get());
        }
    }

    private void sendJson(RoutingContext ctx, Object body) {
        try {
            ctx.response().putHeader("content-type", "application/json").end(json.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            ctx.fail(e);
        }
    }

    private static void problem(RoutingContext ctx, int status, String title) {
        ctx.response().setStatusCode(status).putHeader("content-type", "application/problem+json")
            .end(new JsonObject().put("status", status).put("title", title).encode());
    }
}
