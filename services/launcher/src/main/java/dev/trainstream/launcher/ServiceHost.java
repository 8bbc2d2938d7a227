package dev.trainstream.launcher;

import dev.trainstream.events.clients.KafkaClients;
import dev.trainstream.ops.KafkaProbe;
import dev.trainstream.ops.OpsServer;
import dev.trainstream.ops.ReadinessCheck;
import dev.trainstream.storage.ObjectStore;
import dev.trainstream.storage.RetryPolicy;
import dev.trainstream.storage.S3Settings;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Hosts one service's operational side: a Vert.x instance serving health and metrics, with readiness = Kafka answers,
 * the bucket answers, and the service says it is ready. The service's own work runs on its own thread, never on the
 * event loop.
 */
final class ServiceHost implements AutoCloseable {
    private final Vertx vertx;
    private final KafkaProbe kafka;
    private final ObjectStore s3;
    private final PrometheusMeterRegistry registry;
    private final OpsServer server;

    private ServiceHost(Vertx vertx, KafkaProbe kafka, ObjectStore s3, PrometheusMeterRegistry registry, OpsServer server) {
        this.vertx = vertx;
        this.kafka = kafka;
        this.s3 = s3;
        this.registry = registry;
        this.server = server;
    }

    static ServiceHost start(String service, String host, int port, String kafkaBootstrap, S3Settings s3Settings,
                             BooleanSupplier serviceReady) {
        PrometheusMeterRegistry registry = OpsServer.newRegistry(service);
        KafkaProbe kafka = KafkaProbe.over(KafkaClients.admin(kafkaBootstrap, "trainstream-readiness",
            Duration.ofSeconds(3)), Duration.ofSeconds(3));
        ObjectStore s3 = ObjectStore.connect(s3Settings, RetryPolicy.none());
        Vertx vertx = Vertx.vertx();
        try {
            List<ReadinessCheck> checks = List.of(kafka, ReadinessCheck.of("s3", s3::ping),
                ReadinessCheck.of(service, () -> {
                    if (!serviceReady.getAsBoolean()) {
                        throw new IllegalStateException("starting (connecting or restoring)");
                    }
                }));
            OpsServer server = OpsServer.deploy(vertx, new OpsServer(service, host, port, registry, checks));
            return new ServiceHost(vertx, kafka, s3, registry, server);
        } catch (RuntimeException e) {
            vertx.close();
            kafka.close();
            s3.close();
            throw e;
        }
    }

    PrometheusMeterRegistry registry() {
        return registry;
    }

    int port() {
        return server.actualPort();
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("stopping the HTTP server failed", e);
        } finally {
            kafka.close();
            s3.close();
            registry.close();
        }
    }
}
