package dev.trainstream.ingest.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The download path against a local HTTP server: checksum, cache, truncated transfer and resume. */
class CachedDownloadTest {
    @TempDir
    Path dir;
    private ServerSocket server;
    private Thread acceptor;
    private byte[] archive;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicReference<String> lastRange = new AtomicReference<>();
    /** When > 0, the server announces the full length but sends only this many bytes, then drops the connection. */
    private volatile int cutAfter;

    @BeforeEach
    void start() throws Exception {
        archive = Files.readAllBytes(DatasetFixtures.writeTarGz(dir.resolve("src.tar.gz"), DatasetFixtures.cifarFiles(5)));
        server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::acceptLoop, "test-http");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    /** A minimal HTTP/1.1 server: enough to serve one file with Range support and to cut a transfer short. */
    private void acceptLoop() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
                String range = null;
                for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                    if (line.toLowerCase(java.util.Locale.ROOT).startsWith("range:")) {
                        range = line.substring(6).trim();
                    }
                }
                requests.incrementAndGet();
                lastRange.set(range);
                int from = range == null ? 0 : Integer.parseInt(range.replaceAll("bytes=(\\d+)-", "$1"));
                byte[] body = Arrays.copyOfRange(archive, from, archive.length);
                OutputStream out = socket.getOutputStream();
                out.write(((range == null ? "HTTP/1.1 200 OK" : "HTTP/1.1 206 Partial Content") + "\r\nContent-Length: "
                    + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body, 0, cutAfter > 0 ? Math.min(cutAfter, body.length) : body.length);
                out.flush();
            } catch (IOException e) {
                // closed by the test or the client went away: next connection
            }
        }
    }

    private URI url() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/cifar-10-binary.tar.gz");
    }

    private String md5() throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(archive));
    }

    @Test
    void givenCorrectChecksum_whenFetchedTwice_thenSecondFetchUsesCacheWithoutNetwork() throws Exception {
        CachedDownload download = new CachedDownload(dir.resolve("cache"));
        Path first = download.fetch(url(), md5());
        assertThat(Files.readAllBytes(first)).isEqualTo(archive);
        assertThat(requests).hasValue(1);
        Path second = download.fetch(url(), md5());
        assertThat(second).isEqualTo(first);
        assertThat(requests).hasValue(1);
        assertThat(new Cifar10Binary(second, "md5").load().train().count()).isEqualTo(25);
    }

    @Test
    void givenWrongChecksum_whenFetched_thenClearErrorAndNothingCached() {
        CachedDownload download = new CachedDownload(dir.resolve("cache"));
        assertThatThrownBy(() -> download.fetch(url(), "0".repeat(32))).isInstanceOf(DatasetException.class)
            .hasMessageContaining("checksum").hasMessageContaining(url().toString());
        assertThat(dir.resolve("cache/cifar-10-binary.tar.gz")).doesNotExist();
        assertThat(dir.resolve("cache/cifar-10-binary.tar.gz.part")).doesNotExist();
    }

    @Test
    void givenTruncatedTransfer_whenFetchedAgain_thenResumesWithRangeAndVerifies() throws Exception {
        CachedDownload download = new CachedDownload(dir.resolve("cache"));
        cutAfter = archive.length / 3;
        assertThatThrownBy(() -> download.fetch(url(), md5())).isInstanceOf(DatasetException.class)
            .hasMessageContaining("resume");
        long kept = Files.size(dir.resolve("cache/cifar-10-binary.tar.gz.part"));
        assertThat(kept).isPositive().isLessThan(archive.length);

        cutAfter = 0;
        Path file = download.fetch(url(), md5());
        assertThat(lastRange.get()).isEqualTo("bytes=" + kept + "-");
        assertThat(Files.readAllBytes(file)).isEqualTo(archive);
    }

    @Test
    void givenAServerThatIsNotThere_whenFetched_thenTheErrorNamesWhatHappenedNotNull() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        CachedDownload download = new CachedDownload(dir.resolve("cache-refused"));

        assertThatThrownBy(() -> download.fetch(java.net.URI.create("http://127.0.0.1:" + closedPort + "/c.tar.gz"),
            "0".repeat(32))).isInstanceOf(DatasetException.class)
            .hasMessageContaining("download of http://127.0.0.1:" + closedPort)
            .hasMessageContaining("connection refused").hasMessageNotContaining("null");
    }
}
