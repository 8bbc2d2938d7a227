package dev.trainstream.ops.lifecycle;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * How long a service waits between attempts at work that failed for a reason outside it (an object-store outage that
 * outlasted the store's own retries, an engine error): doubling from {@code initial} to {@code max}, and cut short the
 * moment the service is asked to stop.
 */
public record StopAwareBackoff(Duration initial, Duration max) {
    private static final long SLICE_MILLIS = 50;

    public StopAwareBackoff {
        if (initial == null || max == null || initial.isNegative() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff must satisfy 0 <= initial <= max, got " + initial + ", " + max);
        }
    }

    /** 1 s doubling to 30 s: an outage of any length is waited out, and a recovered store is noticed within 30 s. */
    public static StopAwareBackoff standard() {
        return new StopAwareBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
    }

    /** The wait before attempt {@code attempt + 1}. */
    public Duration after(int attempt) {
        long millis = initial.toMillis();
        for (int i = 1; i < attempt && millis < max.toMillis(); i++) {
            millis *= 2;
        }
        return Duration.ofMillis(Math.min(millis, max.toMillis()));
    }

    /**
     * Waits {@link #after(int)}, in short slices so a stop is noticed at once (production backoff on the service's
     * thread, not a test wait); false if {@code stopping} became true, meaning: give up, the service is closing.
     */
    public boolean pause(int attempt, BooleanSupplier stopping) throws InterruptedException {
        long deadline = System.nanoTime() + after(attempt).toNanos();
        while (!stopping.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return true;
            }
            Thread.sleep(Math.min(SLICE_MILLIS, Math.max(1, left / 1_000_000)));
        }
        return false;
    }
}
