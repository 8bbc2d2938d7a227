package dev.trainstream.launcher;

import dev.trainstream.storage.S3Settings;
import java.net.URI;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Where Kafka and S3 are, and the service's HTTP port: the options every service shares. */
final class ConnectionOptions {
    @Option(names = "--kafka-bootstrap", paramLabel = "HOST:PORT",
        defaultValue = "${env:TRAINSTREAM_KAFKA_BOOTSTRAP:-" + Defaults.KAFKA_BOOTSTRAP + "}",
        description = "Kafka bootstrap servers. Env: TRAINSTREAM_KAFKA_BOOTSTRAP. Default: ${DEFAULT-VALUE}")
    String kafkaBootstrap;

    @Option(names = "--s3-endpoint", paramLabel = "URL",
        defaultValue = "${env:TRAINSTREAM_S3_ENDPOINT:-" + Defaults.S3_ENDPOINT + "}",
        description = "S3 API endpoint (MinIO or any S3). Env: TRAINSTREAM_S3_ENDPOINT. Default: ${DEFAULT-VALUE}")
    String s3Endpoint;

    @Option(names = "--s3-access-key", paramLabel = "KEY", defaultValue = "${env:TRAINSTREAM_S3_ACCESS_KEY}",
        description = "S3 access key (required). Env: TRAINSTREAM_S3_ACCESS_KEY")
    String s3AccessKey;

    @Option(names = "--s3-secret-key", paramLabel = "SECRET", defaultValue = "${env:TRAINSTREAM_S3_SECRET_KEY}",
        description = "S3 secret key (required). Env: TRAINSTREAM_S3_SECRET_KEY")
    String s3SecretKey;

    @Option(names = "--s3-bucket", paramLabel = "NAME",
        defaultValue = "${env:TRAINSTREAM_S3_BUCKET:-" + Defaults.S3_BUCKET + "}",
        description = "Bucket for datasets and checkpoints (created if missing). Env: TRAINSTREAM_S3_BUCKET. "
            + "Default: ${DEFAULT-VALUE}")
    String s3Bucket;

    @Option(names = "--s3-region", paramLabel = "REGION",
        defaultValue = "${env:TRAINSTREAM_S3_REGION:-" + Defaults.S3_REGION + "}",
        description = "S3 region. Env: TRAINSTREAM_S3_REGION. Default: ${DEFAULT-VALUE}")
    String s3Region;

    @Option(names = "--http-port", paramLabel = "PORT",
        defaultValue = "${env:TRAINSTREAM_HTTP_PORT:-" + Defaults.HTTP_PORT + "}",
        description = "Port of /health/live, /health/ready and /metrics (0 = any free port). Env: TRAINSTREAM_HTTP_PORT. "
            + "Default: ${DEFAULT-VALUE}")
    int httpPort;

    @Option(names = "--topic-replication", paramLabel = "N",
        defaultValue = "${env:TRAINSTREAM_TOPIC_REPLICATION:-" + Defaults.TOPIC_REPLICATION + "}",
        description = "Replication factor for topics the service creates. Env: TRAINSTREAM_TOPIC_REPLICATION. "
            + "Default: ${DEFAULT-VALUE}")
    short topicReplication;

    @Option(names = "--grace-seconds", paramLabel = "S",
        defaultValue = "${env:TRAINSTREAM_GRACE_SECONDS:-" + Defaults.GRACE_SECONDS + "}",
        description = "On SIGTERM: how long the service may take to finish the work in hand (a step and its checkpoint, "
            + "the evaluation in hand, the epoch being published) and close before exiting 0. "
            + "Env: TRAINSTREAM_GRACE_SECONDS. Default: ${DEFAULT-VALUE}")
    long graceSeconds;

    /** The SIGTERM grace period, validated. */
    Duration grace() {
        if (graceSeconds < 1) {
            throw new IllegalArgumentException("--grace-seconds must be >= 1, was " + graceSeconds);
        }
        return Duration.ofSeconds(graceSeconds);
    }

    S3Settings s3() {
        if (s3AccessKey == null || s3AccessKey.isBlank() || s3SecretKey == null || s3SecretKey.isBlank()) {
            throw new IllegalArgumentException("S3 credentials are required: set --s3-access-key/--s3-secret-key or "
                + "TRAINSTREAM_S3_ACCESS_KEY/TRAINSTREAM_S3_SECRET_KEY");
        }
        return new S3Settings(URI.create(s3Endpoint), s3AccessKey, s3SecretKey, s3Bucket, s3Region);
    }
}
