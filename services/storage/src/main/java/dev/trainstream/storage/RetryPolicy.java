package dev.trainstream.storage;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exponential backoff with jitter for retriable {@link StorageException}s; fatal ones pass straight through.
 * Waits use {@link Thread#sleep} deliberately: this is production backoff on a worker thread, not a test wait.
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
    private static final Logger LOG = LoggerFactory.getLogger(RetryPolicy.class);

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("backoff must satisfy 0 <= initial <= max");
        }
    }

    /** Default for services: 8 attempts, 200 ms doubling to 10 s (about a minute of outage tolerated). */
    public static RetryPolicy standard() {
        return new RetryPolicy(8, Duration.ofMillis(200), Duration.ofSeconds(10));
    }

    /** No retries, for probes that must answer now. */
    public static RetryPolicy none() {
        return new RetryPolicy(1, Duration.ZERO, Duration.ZERO);
    }

    /** Runs {@code action}, retrying retriable failures; {@code what} names the operation in logs and errors. */
    public <T> T run(String what, Supplier<T> action) {
        long backoff = initialBackoff.toMillis();
        for (int attempt = 1; ; attempt++) {
            try {
                return action.get();
            } catch (StorageException e) {
                if (!e.retriable() || attempt >= maxAttempts) {
                    throw e;
                }
                long wait = backoff + ThreadLocalRandom.current().nextLong(Math.max(1, backoff / 2));
                LOG.warn("{} failed (attempt {}/{}), retrying in {} ms: {}", what, attempt, maxAttempts, wait,
                    e.getMessage());
                sleep(wait, what, e);
                backoff = Math.min(backoff * 2, maxBackoff.toMillis());
            }
        }
    }

    private static void sleep(long millis, String what, StorageException cause) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            StorageException interrupted = new StorageException("interrupted while retrying " + what, false, ie);
            interrupted.addSuppressed(cause);
            throw interrupted;
        }
    }
}
