package dev.trainstream.infra;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Properties;

/**
 * The access key and secret key of the embedded S3 server: random, and optionally kept in a file so that a server
 * restarted on the same work directory takes the same ones (clients configured against it keep working).
 *
 * @param accessKey the access key (20 hex digits when generated)
 * @param secretKey the secret key (40 hex digits when generated)
 */
public record S3Credentials(String accessKey, String secretKey) {
    private static final String ACCESS_KEY = "access-key";
    private static final String SECRET_KEY = "secret-key";

    public S3Credentials {
        if (accessKey == null || accessKey.isBlank() || secretKey == null || secretKey.isBlank()) {
            throw new IllegalArgumentException("accessKey and secretKey must be non-blank");
        }
    }

    /** Fresh random credentials. */
    public static S3Credentials random() {
        return new S3Credentials(randomHex(10), randomHex(20));
    }

    /**
     * The credentials stored in {@code file}, or fresh ones written there (readable by the owner only, where the file
     * system has POSIX permissions) when it does not exist yet.
     */
    public static S3Credentials keptIn(Path file) {
        if (!Files.exists(file)) {
            S3Credentials fresh = random();
            try {
                fresh.write(file);
                return fresh;
            } catch (FileAlreadyExistsException raced) {
                // Another process created it first: its credentials are the ones kept.
                return read(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the S3 credentials to " + file, e);
            }
        }
        return read(file);
    }

    private static S3Credentials read(Path file) {
        Properties stored = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            stored.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the S3 credentials in " + file, e);
        }
        String access = stored.getProperty(ACCESS_KEY);
        String secret = stored.getProperty(SECRET_KEY);
        if (access == null || access.isBlank() || secret == null || secret.isBlank()) {
            throw new IllegalStateException(file + " lacks " + ACCESS_KEY + " or " + SECRET_KEY
                + "; delete it to have new credentials generated");
        }
        return new S3Credentials(access.trim(), secret.trim());
    }

    private void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Properties stored = new Properties();
        stored.setProperty(ACCESS_KEY, accessKey);
        stored.setProperty(SECRET_KEY, secretKey);
        Files.createFile(file, ownerOnly(file));
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            stored.store(out, "Credentials of the embedded S3 server in this directory");
        }
    }

    private static FileAttribute<?>[] ownerOnly(Path file) {
        if (!file.toAbsolutePath().getParent().getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[0];
        }
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))};
    }

    private static String randomHex(int bytes) {
        byte[] raw = new byte[bytes];
        new SecureRandom().nextBytes(raw);
        return HexFormat.of().formatHex(raw);
    }

    /** Never prints the secret (records print every field otherwise). */
    @Override
    public String toString() {
        return "S3Credentials[accessKey=" + accessKey + ", secretKey=***]";
    }
}
