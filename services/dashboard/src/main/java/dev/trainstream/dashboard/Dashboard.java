package dev.trainstream.dashboard;

import dev.trainstream.dashboard.feed.EventFeed;
import dev.trainstream.dashboard.http.DashboardServer;
import dev.trainstream.dashboard.http.LiveUpdates;
import dev.trainstream.dashboard.view.RunRegistry;
import dev.trainstream.events.clients.KafkaClients;
import dev.trainstream.ops.KafkaProbe;
import dev.trainstream.ops.OpsServer;
import dev.trainstream.ops.ReadinessCheck;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The running dashboard: HTTP server on Vert.x plus the event feed on its own thread, started and closed together.
 * {@code start} returns once the server listens; the replay of history continues in the background
 * ({@code /health/ready} answers 200 once it is complete).
 */
public final class Dashboard implements AutoCloseable {
    private final Vertx vertx;
    private final KafkaProbe kafka;
    private final PrometheusMeterRegistry meters;
    private final DashboardServer server;
    private final EventFeed feed;
    private final RunRegistry registry;
    private final String host;

    private Dashboard(Vertx vertx, KafkaProbe kafka, PrometheusMeterRegistry meters, DashboardServer server,
                      EventFeed feed, RunRegistry registry, String host) {
        this.host = host;
        this.vertx = vertx;
        this.kafka = kafka;
        this.meters = meters;
        this.server = server;
        this.feed = feed;
        this.registry = registry;
    }

    /**
     * Starts the server, then the feed.
     *
     * @throws IllegalStateException if the port is taken or Kafka cannot be reached to set up the feed
     */
    public static Dashboard start(DashboardConfig config) {
        RunRegistry registry = new RunRegistry(config.limits());
        PrometheusMeterRegistry meters = OpsServer.newRegistry("dashboard");
        meters.gauge("trainstream_dashboard_runs", registry, RunRegistry::size);
        KafkaProbe kafka = KafkaProbe.over(KafkaClients.admin(config.feed().bootstrap(), "trainstream-readiness",
            Duration.ofSeconds(3)), Duration.ofSeconds(3));
        Vertx vertx = Vertx.vertx();
        EventFeed feed = null;
        try {
            FeedHolder holder = new FeedHolder();
            List<ReadinessCheck> checks = List.of(kafka, ReadinessCheck.of("history", holder::verify));
            DashboardServer server = new DashboardServer(config.exposure(), registry, meters, checks);
            deploy(vertx, server);
            feed = EventFeed.start(config.feed(), registry, change -> LiveUpdates.publish(vertx, change), meters);
            holder.feed = feed;
            return new Dashboard(vertx, kafka, meters, server, feed, registry, config.exposure().host());
        } catch (RuntimeException e) {
            if (feed != null) {
                feed.close();
            }
            vertx.close();
            kafka.close();
            meters.close();
            throw e;
        }
    }

    /** The port the dashboard listens on. */
    public int port() {
        return server.actualPort();
    }

    /** The runs-list page, e.g. http://127.0.0.1:8090/ (on loopback when the dashboard listens on every interface). */
    public String url() {
        boolean everywhere = "0.0.0.0".equals(host) || "::".equals(host);
        String where = everywhere ? "127.0.0.1" : host.contains(":") ? "[" + host + "]" : host;
        return "http://" + where + ":" + port() + "/";
    }

    /** True once all history present at start has been replayed. */
    public boolean caughtUp() {
        return feed.caughtUp();
    }

    /** The view the dashboard serves. */
    public RunRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        try {
            feed.close();
        } finally {
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                throw new IllegalStateException("stopping the dashboard's HTTP server failed", e);
            } finally {
                kafka.close();
                meters.close();
            }
        }
    }

    private static void deploy(Vertx vertx, DashboardServer server) {
        try {
            vertx.deployVerticle(server).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the dashboard's HTTP server", e);
        } catch (Exception e) {
            throw new IllegalStateException("dashboard HTTP server failed to start: " + e.getMessage(), e);
        }
    }

    /** Readiness of the feed, which exists only after the server (and so the check) was created. */
    private static final class FeedHolder {
        private volatile EventFeed feed;

        void verify() {
            EventFeed current = feed;
            if (current == null) {
                throw new IllegalStateException("starting the event feed");
            }
            if (current.failure() != null) {
                throw new IllegalStateException("event feed stopped: " + current.failure());
            }
            if (!current.caughtUp()) {
                throw new IllegalStateException("replaying history");
            }
        }
    }
}
