package dev.trainstream.infra;

import java.nio.file.Path;

/**
 * The embedded Kafka broker and S3 server started together, as the one-command local mode and the integration tests
 * need them. Closing it stops both (S3 first, then the broker), whatever fails.
 */
public final class LocalInfrastructure implements AutoCloseable {
    private final EmbeddedKafka kafka;
    private final EmbeddedS3 s3;

    private LocalInfrastructure(EmbeddedKafka kafka, EmbeddedS3 s3) {
        this.kafka = kafka;
        this.s3 = s3;
    }

    /** Starts both under {@code workDir} ({@code kafka/} and {@code s3/}). */
    public static LocalInfrastructure start(Path workDir) {
        EmbeddedS3 s3 = EmbeddedS3.start(workDir.resolve("s3"));
        try {
            return new LocalInfrastructure(EmbeddedKafka.start(workDir.resolve("kafka")), s3);
        } catch (RuntimeException e) {
            s3.close();
            throw e;
        }
    }

    public EmbeddedKafka kafka() {
        return kafka;
    }

    public EmbeddedS3 s3() {
        return s3;
    }

    @Override
    public void close() {
        try {
            s3.close();
        } finally {
            kafka.close();
        }
    }
}
