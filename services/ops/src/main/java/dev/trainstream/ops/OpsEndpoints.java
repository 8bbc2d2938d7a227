package dev.trainstream.ops;

/** The operational HTTP contract every service honours; probes, manifests and tests refer to these names. */
public final class OpsEndpoints {
    /** Liveness: 200 while the process can serve at all. */
    public static final String LIVE = "/health/live";
    /** Readiness: 200 only while every readiness check passes (Kafka and S3 reachable, service-specific state). */
    public static final String READY = "/health/ready";
    /** Prometheus text exposition. */
    public static final String METRICS = "/metrics";
    /** Port a service listens on when {@code TRAINSTREAM_HTTP_PORT} is not set. */
    public static final int DEFAULT_PORT = 8080;

    private OpsEndpoints() {
    }
}
