package dev.trainstream.dashboard.http;

import dev.trainstream.dashboard.view.RunChange;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-Sent Events: the feed thread publishes each {@link RunChange} on the event bus; every open
 * {@code /api/events} stream forwards those of its run (or all) as {@code event: <kind>} messages. Streams are
 * bounded twice: at most {@code maxStreams} open at once (more are refused with 503), and a stream whose client
 * stops reading is dropped as soon as {@link #WRITE_QUEUE_BYTES} wait for it, so a stalled browser or a hostile
 * client holds a fixed amount of memory, never the whole history of changes; the server's write-stall timeout
 * ({@link HttpExposure#writeStall()}) then closes its connection.
 */
public final class LiveUpdates {
    /** Event-bus address of run changes (local to this Vert.x instance). */
    static final String ADDRESS = "trainstream.dashboard.changes";
    /** Several thousand changes: a reading client never comes near it, a stalled one reaches it within seconds. */
    static final int WRITE_QUEUE_BYTES = 256 * 1024;
    /** Comment lines keep proxies from closing an idle stream. */
    private static final long KEEPALIVE_MS = 15_000;
    private static final Logger LOG = LoggerFactory.getLogger(LiveUpdates.class);

    private final Vertx vertx;
    private final int maxStreams;
    private final AtomicInteger open = new AtomicInteger();
    private final Counter refused;
    private final Counter dropped;

    LiveUpdates(Vertx vertx, int maxStreams, MeterRegistry meters) {
        this.vertx = vertx;
        this.maxStreams = maxStreams;
        meters.gauge("trainstream_dashboard_live_streams", open);
        this.refused = meters.counter("trainstream_dashboard_live_streams_refused_total");
        this.dropped = meters.counter("trainstream_dashboard_live_streams_dropped_total");
    }

    /** Safe from any thread: hands the change to the event loop. */
    public static void publish(Vertx vertx, RunChange change) {
        vertx.eventBus().publish(ADDRESS, new JsonObject().put("runId", change.runId()).put("kind", change.kind())
            .put("step", change.step()));
    }

    /** Handler of {@code GET /api/events[?run=ID]}. */
    void stream(RoutingContext ctx) {
        if (open.incrementAndGet() > maxStreams) {
            open.decrementAndGet();
            refused.increment();
            ctx.response().setStatusCode(503).putHeader("retry-after", "10")
                .putHeader("content-type", "application/problem+json")
                .end(new JsonObject().put("status", 503).put("title", "too many live streams open").encode());
            return;
        }
        String run = ctx.request().getParam("run");
        HttpServerResponse response = ctx.response().setChunked(true)
            .putHeader("content-type", "text/event-stream; charset=utf-8")
            .putHeader("cache-control", "no-cache")
            .putHeader("x-accel-buffering", "no");
        response.setWriteQueueMaxSize(WRITE_QUEUE_BYTES);
        Stream stream = new Stream(ctx, response);
        MessageConsumer<JsonObject> changes = vertx.eventBus().consumer(ADDRESS, message -> {
            JsonObject change = message.body();
            if (run == null || run.equals(change.getString("runId"))) {
                stream.write("event: " + change.getString("kind") + "\ndata: " + change.encode() + "\n\n");
            }
        });
        long keepalive = vertx.setPeriodic(KEEPALIVE_MS, id -> stream.write(": keepalive\n\n"));
        response.closeHandler(v -> {
            stream.release();
            vertx.cancelTimer(keepalive);
            changes.unregister();
        });
        stream.write("retry: 2000\n: connected\n\n");
    }

    /** One open stream: written on the event loop until closed, or dropped once its client falls a queue behind. */
    private final class Stream {
        private final RoutingContext ctx;
        private final HttpServerResponse response;
        /** Set once the stream no longer counts against the cap: closed, or dropped and waiting to be closed. */
        private final AtomicBoolean released = new AtomicBoolean();

        Stream(RoutingContext ctx, HttpServerResponse response) {
            this.ctx = ctx;
            this.response = response;
        }

        void release() {
            if (released.compareAndSet(false, true)) {
                open.decrementAndGet();
            }
        }

        /**
         * Writes, unless the client has fallen a full queue behind: then the stream is dropped (nothing more is
         * queued for it, it frees its place under the cap) and its connection closed, politely if the client reads
         * again, outright by the server's write-stall timeout if it does not.
         */
        void write(String text) {
            if (released.get()) {
                return;
            }
            if (response.writeQueueFull()) {
                release();
                dropped.increment();
                LOG.warn("dropping the live stream of {}: it stopped reading ({} bytes wait for it)",
                    ctx.request().remoteAddress(), WRITE_QUEUE_BYTES);
                ctx.request().connection().close();
                return;
            }
            response.write(text);
        }
    }
}
