package dev.trainstream.ingest.source;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads a file once into a cache directory, verifying its published MD5. A transfer cut short is kept as
 * {@code <name>.part} and resumed with an HTTP Range request next time; a checksum mismatch deletes the download and
 * fails. A cached file whose checksum matches is reused with no network access at all.
 */
public final class CachedDownload {
    private static final Logger LOG = LoggerFactory.getLogger(CachedDownload.class);

    private final HttpClient http;
    private final Path cacheDir;

    public CachedDownload(Path cacheDir) {
        this.cacheDir = cacheDir;
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(20)).build();
    }

    /** The cached, verified file for {@code url}; downloads (or resumes) only if needed. */
    public Path fetch(URI url, String expectedMd5) throws DatasetException {
        String name = Path.of(url.getPath()).getFileName().toString();
        Path target = cacheDir.resolve(name);
        Path part = cacheDir.resolve(name + ".part");
        try {
            Files.createDirectories(cacheDir);
            if (Files.exists(target)) {
                if (md5(target).equals(expectedMd5)) {
                    LOG.info("using cached {} (MD5 verified)", target);
                    return target;
                }
                LOG.warn("cached {} does not match MD5 {}; downloading again", target, expectedMd5);
                Files.delete(target);
            }
            transfer(url, part);
            String actual = md5(part);
            if (!actual.equals(expectedMd5)) {
                Files.deleteIfExists(part);
                throw new DatasetException("download of " + url + " failed its checksum: expected MD5 " + expectedMd5
                    + ", got " + actual + " (the partial file was deleted; run again to retry)");
            }
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new DatasetException("download of " + url + " into " + cacheDir + " failed: " + IoCause.of(e)
                + " (progress kept in " + part.getFileName() + "; run again to resume)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatasetException("download of " + url + " interrupted", e);
        }
    }

    private void transfer(URI url, Path part) throws IOException, InterruptedException {
        long have = Files.exists(part) ? Files.size(part) : 0;
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(30)).GET();
        if (have > 0) {
            request.header("Range", "bytes=" + have + "-");
        }
        HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        int status = response.statusCode();
        boolean resume = status == 206;
        if (status != 200 && status != 206) {
            response.body().close();
            throw new IOException("HTTP " + status + " from " + url);
        }
        long expected = response.headers().firstValueAsLong("content-length").orElse(-1);
        LOG.info("{} {} ({} bytes{})", resume ? "resuming" : "downloading", url, expected,
            resume ? " after " + have : "");
        long written = 0;
        try (InputStream in = response.body();
             OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                 resume ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                written += n;
            }
        }
        if (expected >= 0 && written != expected) {
            throw new IOException("transfer truncated: received " + written + " of " + expected + " bytes");
        }
    }

    static String md5(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                md5.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(md5.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 missing from this JVM", e);
        }
    }
}
