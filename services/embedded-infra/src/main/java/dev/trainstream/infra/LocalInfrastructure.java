package dev.trainstream.infra;

import java.nio.file.Path;

/**
 * The embedded Kafka broker and S3 server started together, as the one-command local mode, {@code trainstream infra}
 * and the integration tests need them. Everything lives under one work directory ({@code kafka/}, {@code s3/} and the
 * S3 credentials), so starting again on the same directory finds the topics, the objects and the credentials of the
 * last run. Closing it stops both (S3 first, then the broker), whatever fails.
 */
public final class LocalInfrastructure implements AutoCloseable {
    /** The file in the work directory that keeps the S3 credentials across restarts. */
    public static final String CREDENTIALS_FILE = "s3-credentials.properties";

    private final EmbeddedKafka kafka;
    private final EmbeddedS3 s3;

    private LocalInfrastructure(EmbeddedKafka kafka, EmbeddedS3 s3) {
        this.kafka = kafka;
        this.s3 = s3;
    }

    /**
     * The loopback ports the two servers listen on; 0 picks a free one.
     *
     * @param kafka      the broker's client port (bootstrap)
     * @param controller the broker's KRaft controller port (no client uses it)
     * @param s3         the S3 API port
     */
    public record Ports(int kafka, int controller, int s3) {
        /** Free ports for all three (tests, {@code up}). */
        public static final Ports ANY = new Ports(0, 0, 0);

        public Ports {
            check(kafka, "kafka");
            check(controller, "controller");
            check(s3, "s3");
            if (kafka != 0 && (kafka == controller || kafka == s3) || controller != 0 && controller == s3) {
                throw new IllegalArgumentException("the Kafka, controller and S3 ports must differ, were " + kafka
                    + ", " + controller + ", " + s3);
            }
        }

        private static void check(int port, String name) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException(name + " port must be in [0, 65535], was " + port);
            }
        }
    }

    /** Starts both under {@code workDir} on free ports. */
    public static LocalInfrastructure start(Path workDir) {
        return start(workDir, Ports.ANY);
    }

    /**
     * Starts both under {@code workDir} ({@code kafka/} and {@code s3/}) on {@code ports}, with the S3 credentials kept
     * in {@code workDir}/{@value #CREDENTIALS_FILE} (created on the first start).
     */
    public static LocalInfrastructure start(Path workDir, Ports ports) {
        S3Credentials credentials = S3Credentials.keptIn(workDir.resolve(CREDENTIALS_FILE));
        EmbeddedS3 s3 = EmbeddedS3.start(workDir.resolve("s3"), ports.s3(), credentials.accessKey(),
            credentials.secretKey());
        try {
            return new LocalInfrastructure(EmbeddedKafka.start(workDir.resolve("kafka"), ports.kafka(),
                ports.controller()), s3);
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
