package dev.trainstream.launcher;

import dev.trainstream.ops.config.ConnectionSettings;
import dev.trainstream.ops.config.Setting;
import java.util.List;
import dev.trainstream.storage.S3Settings;
import java.net.URI;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Where Kafka and S3 are, and the service's HTTP interface and port: the options every service shares. */
final class ConnectionOptions implements SettingsBacked {
    @Option(names = "--kafka-bootstrap", paramLabel = "HOST:PORT")
    String kafkaBootstrap;

    @Option(names = "--s3-endpoint", paramLabel = "URL")
    String s3Endpoint;

    @Option(names = "--s3-access-key", paramLabel = "KEY")
    String s3AccessKey;

    @Option(names = "--s3-secret-key", paramLabel = "SECRET")
    String s3SecretKey;

    @Option(names = "--s3-bucket", paramLabel = "NAME")
    String s3Bucket;

    @Option(names = "--s3-region", paramLabel = "REGION")
    String s3Region;

    @Option(names = "--http-port", paramLabel = "PORT")
    int httpPort;

    @Option(names = "--http-bind", paramLabel = "ADDRESS")
    String httpBind;

    @Option(names = "--topic-replication", paramLabel = "N")
    short topicReplication;

    @Option(names = "--grace-seconds", paramLabel = "S")
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

    @Override
    public List<Setting> settings() {
        return ConnectionSettings.ALL;
    }
}
