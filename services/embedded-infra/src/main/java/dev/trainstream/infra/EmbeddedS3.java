package dev.trainstream.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real S3 API server (S3Proxy, filesystem backend, AWS signature V4) on 127.0.0.1 in this JVM.
 *
 * <p>Exists so that the local mode and the tests use the real MinIO client against a real S3 protocol server, without
 * Docker or MinIO binaries. Credentials are random per instance unless given. {@link #stop()} and {@link #start()}
 * keep the port and data, so tests can simulate an S3 outage.
 */
public final class EmbeddedS3 implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedS3.class);

    private final Path dataDir;
    private final int port;
    private final String accessKey;
    private final String secretKey;
    private S3Proxy proxy;

    private EmbeddedS3(Path dataDir, int port, String accessKey, String secretKey) {
        this.dataDir = dataDir;
        this.port = port;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    /** Starts a server storing objects under {@code dataDir}, on a free port, with random credentials. */
    public static EmbeddedS3 start(Path dataDir) {
        S3Credentials credentials = S3Credentials.random();
        return start(dataDir, 0, credentials.accessKey(), credentials.secretKey());
    }

    /** Starts a server with the given port (0 = free) and credentials. */
    public static EmbeddedS3 start(Path dataDir, int port, String accessKey, String secretKey) {
        if (accessKey == null || accessKey.isBlank() || secretKey == null || secretKey.isBlank()) {
            throw new IllegalArgumentException("accessKey and secretKey must be non-blank");
        }
        // Absolute: S3Proxy's filesystem store loses multipart uploads under a relative base directory (the upload
        // is created, then "NoSuchUpload" on completion), and `up` defaults to the relative .trainstream/local.
        EmbeddedS3 s3 = new EmbeddedS3(dataDir.toAbsolutePath(), port == 0 ? FreePorts.pick() : port, accessKey,
            secretKey);
        s3.start();
        return s3;
    }

    /** {@code http://127.0.0.1:port}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    /** Starts (or restarts after {@link #stop()}) the server on its port. */
    public synchronized void start() {
        if (proxy != null) {
            return;
        }
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create S3 data directory " + dataDir, e);
        }
        S3Proxy candidate = S3Proxy.builder()
            .blobStore(new FilesystemNio2BlobStore(dataDir.toString()))
            .endpoint(endpoint())
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
            .ignoreUnknownHeaders(true)
            .build();
        try {
            candidate.start();
            awaitStarted(candidate);
        } catch (Exception e) {
            stopQuietlyAfterFailedStart(candidate, e);
            throw new IllegalStateException("S3 server on port " + port + " failed to start: " + e.getMessage(), e);
        }
        proxy = candidate;
        LOG.info("S3 server ready at {} (data in {})", endpoint(), dataDir);
    }

    /** Stops the server, keeping its data. */
    public synchronized void stop() {
        S3Proxy current = proxy;
        proxy = null;
        if (current != null) {
            try {
                current.stop();
            } catch (Exception e) {
                throw new IllegalStateException("S3 server on port " + port + " failed to stop", e);
            }
            LOG.info("S3 server at {} stopped", endpoint());
        }
    }

    @Override
    public void close() {
        stop();
    }

    private static void awaitStarted(S3Proxy candidate) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!"STARTED".equals(candidate.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy state is " + candidate.getState() + " after 30 s");
            }
            // Jetty starts on its own threads; poll its state without burning a core.
            LockSupport.parkNanos(10_000_000L);
        }
    }

    private static void stopQuietlyAfterFailedStart(S3Proxy candidate, Exception cause) {
        try {
            candidate.stop();
        } catch (Exception stopFailure) {
            cause.addSuppressed(stopFailure);
        }
    }
}
