import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/**
 * Test-only S3 server standing in for MinIO in the container check: S3Proxy on the filesystem blob store, set up
 * as the project's EmbeddedS3 sets it up for its tests (SigV2/V4 credentials, unknown headers ignored).
 * Usage: S3Standin DATA_DIR PORT ACCESS_KEY SECRET_KEY. Runs until the JVM is stopped.
 */
public final class S3Standin {
    private S3Standin() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: S3Standin DATA_DIR PORT ACCESS_KEY SECRET_KEY");
        }
        Path data = Files.createDirectories(Path.of(args[0]).toAbsolutePath());
        S3Proxy proxy = S3Proxy.builder()
            .blobStore(new FilesystemNio2BlobStore(data.toString()))
            .endpoint(URI.create("http://0.0.0.0:" + Integer.parseInt(args[1])))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, args[2], args[3])
            .ignoreUnknownHeaders(true)
            .build();
        proxy.start();
        System.out.println("S3 stand-in listening on port " + args[1] + ", data in " + data);
        Thread.currentThread().join();
    }
}
