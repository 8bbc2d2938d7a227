package dev.trainstream.dashboard.http;

import dev.trainstream.dashboard.view.RunChange;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Server-Sent Events: the feed thread publishes each {@link RunChange} on the event bus; every open
 * {@code /api/events} stream forwards those of its run (or all) as {@code event: <kind>} messages.
 */
public final class LiveUpdates {
    /** Event-bus address of run changes (local to this Vert.x instance). */
    static final String ADDRESS = "trainstream.dashboard.changes";
    /** Comment lines keep proxies from closing an idle stream. */
    private static final long KEEPALIVE_MS = 15_000;

    private final Vertx vertx;

    LiveUpdates(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Safe from any thread: hands the change to the event loop. */
    public static void publish(Vertx vertx, RunChange change) {
        vertx.eventBus().publish(ADDRESS, new JsonObject().put("runId", change.runId()).put("kind", change.kind())
            .put("step", change.step()));
    }

    /** Handler of {@code GET /api/events[?run=ID]}. */
    void stream(RoutingContext ctx) {
        String run = ctx.request().getParam("run");
        HttpServerResponse response = ctx.response().setChunked(true)
            .putHeader("content-type", "text/event-stream; charset=utf-8")
            .putHeader("cache-control", "no-cache")
            .putHeader("x-accel-buffering", "no");
        response.write("retry: 2000\n: connected\n\n");
        MessageConsumer<JsonObject> changes = vertx.eventBus().consumer(ADDRESS, message -> {
            JsonObject change = message.body();
            if (run == null || run.equals(change.getString("runId"))) {
                response.write("event: " + change.getString("kind") + "\ndata: " + change.encode() + "\n\n");
            }
        });
        long keepalive = vertx.setPeriodic(KEEPALIVE_MS, id -> response.write(": keepalive\n\n"));
        response.closeHandler(v -> {
            vertx.cancelTimer(keepalive);
            changes.unregister();
        });
    }
}
