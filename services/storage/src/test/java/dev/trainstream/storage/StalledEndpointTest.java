package dev.trainstream.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * An S3 endpoint that accepts the connection and then says nothing (a network cut mid-request looks like this to the
 * client): the call fails as retriable once the I/O timeout passes, instead of hanging for the client's five-minute
 * default, so the retry policy takes over.
 */
class StalledEndpointTest {

    @Test
    void givenAnEndpointThatNeverAnswers_whenCalled_thenARetriableFailureWithinTheTimeout() throws Exception {
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (!silent.isClosed()) {
                        held.add(silent.accept());
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            }, "silent-s3");
            acceptor.setDaemon(true);
            acceptor.start();
            S3Settings settings = new S3Settings(URI.create("http://127.0.0.1:" + silent.getLocalPort()), "key",
                "secret", "stalled", "us-east-1");
            long start = System.nanoTime();
            try (ObjectStore store = ObjectStore.connect(settings, RetryPolicy.none(), Duration.ofSeconds(1))) {
                assertThatThrownBy(() -> store.exists("runs/r/checkpoints/step-1.ckpt"))
                    .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.retriable()).isTrue());
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
            assertThat(held).as("the endpoint was reached").isNotEmpty();
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
        assertThat(ObjectStore.IO_TIMEOUT).isEqualTo(Duration.ofSeconds(30));
    }
}
