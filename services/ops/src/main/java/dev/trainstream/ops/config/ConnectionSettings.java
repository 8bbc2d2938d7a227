package dev.trainstream.ops.config;

import java.util.List;

/** The settings every service shares: where Kafka and S3 are, its HTTP port and interface, topic replication, SIGTERM grace. */
public final class ConnectionSettings {
    /** A broker on this machine: the docker-compose port mapping and a developer's local Kafka. */
    public static final Setting KAFKA_BOOTSTRAP = Setting.env("kafka-bootstrap", "TRAINSTREAM_KAFKA_BOOTSTRAP",
        "127.0.0.1:9092", "Kafka bootstrap servers.");
    /** MinIO's default API port on this machine. */
    public static final Setting S3_ENDPOINT = Setting.env("s3-endpoint", "TRAINSTREAM_S3_ENDPOINT",
        "http://127.0.0.1:9000", "S3 API endpoint (MinIO or any S3).");
    public static final Setting S3_ACCESS_KEY = Setting.env("s3-access-key", "TRAINSTREAM_S3_ACCESS_KEY", null,
        "S3 access key.").noting("required");
    public static final Setting S3_SECRET_KEY = Setting.env("s3-secret-key", "TRAINSTREAM_S3_SECRET_KEY", null,
        "S3 secret key.").noting("required");
    public static final Setting S3_BUCKET = Setting.env("s3-bucket", "TRAINSTREAM_S3_BUCKET", "trainstream",
        "Bucket for datasets and checkpoints (created if missing).");
    /** MinIO ignores the region; AWS needs one, and us-east-1 is the SDK's default. */
    public static final Setting S3_REGION = Setting.env("s3-region", "TRAINSTREAM_S3_REGION", "us-east-1",
        "S3 region.");
    public static final Setting HTTP_PORT = Setting.env("http-port", "TRAINSTREAM_HTTP_PORT", "8080",
        "Port of /health/live, /health/ready and /metrics (0 = any free port).");
    /** Loopback outside containers: nothing off this machine reaches an unauthenticated port by accident. */
    public static final Setting HTTP_BIND = Setting.env("http-bind", "TRAINSTREAM_HTTP_BIND", "127.0.0.1",
        "Interface the HTTP port listens on; the images, the compose file and the Kubernetes manifests set 0.0.0.0.");
    /** 1 for single-broker setups; set 3 on a production cluster. */
    public static final Setting TOPIC_REPLICATION = Setting.env("topic-replication", "TRAINSTREAM_TOPIC_REPLICATION",
        "1", "Replication factor for topics the service creates (3 on a production cluster).");
    /** Long enough to finish a step and write a checkpoint of the full-width model. */
    public static final Setting GRACE_SECONDS = Setting.env("grace-seconds", "TRAINSTREAM_GRACE_SECONDS", "120",
        "On SIGTERM: how long the service may take to finish the work in hand (a step and its checkpoint, the "
            + "evaluation in hand, the epoch being published) and close before exiting 0.");

    /** In the order --help and the README list them. */
    public static final List<Setting> ALL = List.of(KAFKA_BOOTSTRAP, S3_ENDPOINT, S3_ACCESS_KEY, S3_SECRET_KEY,
        S3_BUCKET, S3_REGION, HTTP_PORT, HTTP_BIND, TOPIC_REPLICATION, GRACE_SECONDS);

    private ConnectionSettings() {
    }
}
