package dev.trainstream.dashboard.http;

import java.time.Duration;
import java.util.Optional;

/**
 * What the dashboard's HTTP server shows and to whom: where it listens, the bearer token its pages and API require
 * (none: open to whoever reaches the port), and how many live-update streams it serves at once.
 *
 * @param host           interface to listen on
 * @param port           port (0 = any free port)
 * @param token          the bearer token, if the dashboard requires one
 * @param maxLiveStreams most {@code /api/events} streams open at once
 * @param writeStall     how long a connection may go without the client taking any of what was written to it before
 *                       it is closed outright (a dropped stream's connection included: closing politely would wait
 *                       for a client that never reads)
 */
public record HttpExposure(String host, int port, Optional<String> token, int maxLiveStreams, Duration writeStall) {
    /** Short tokens are guessable at HTTP speed. */
    public static final int MIN_TOKEN_LENGTH = 16;
    /** Three keepalive intervals of a live stream: a reading client always takes something well within it. */
    public static final Duration DEFAULT_WRITE_STALL = Duration.ofSeconds(45);

    /** With the default {@link #DEFAULT_WRITE_STALL}. */
    public HttpExposure(String host, int port, Optional<String> token, int maxLiveStreams) {
        this(host, port, token, maxLiveStreams, DEFAULT_WRITE_STALL);
    }

    public HttpExposure {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must be non-blank");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        if (token == null) {
            throw new IllegalArgumentException("token must be given (Optional.empty() for none)");
        }
        token.ifPresent(t -> {
            if (t.length() < MIN_TOKEN_LENGTH || t.chars().anyMatch(c -> c <= ' ' || c > '~')) {
                throw new IllegalArgumentException("token must be at least " + MIN_TOKEN_LENGTH
                    + " printable ASCII characters without spaces");
            }
        });
        if (maxLiveStreams < 1) {
            throw new IllegalArgumentException("max-live-streams must be >= 1, got " + maxLiveStreams);
        }
        if (writeStall == null || writeStall.toSeconds() < 1) {
            throw new IllegalArgumentException("write stall timeout must be at least 1 s, got " + writeStall);
        }
    }
}
