package dev.trainstream.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Retriable failures are retried up to the limit; fatal ones never are. */
class RetryPolicyTest {
    private final RetryPolicy policy = new RetryPolicy(4, Duration.ofMillis(1), Duration.ofMillis(2));

    @Test
    void givenTransientFailures_whenRunning_thenRetriesUntilSuccess() {
        AtomicInteger calls = new AtomicInteger();
        String result = policy.run("op", () -> {
            if (calls.incrementAndGet() < 3) {
                throw new StorageException("flaky", true, null);
            }
            return "ok";
        });
        assertThat(result).isEqualTo("ok");
        assertThat(calls).hasValue(3);
    }

    @Test
    void givenFatalFailure_whenRunning_thenNoRetry() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> policy.run("op", () -> {
            calls.incrementAndGet();
            throw new StorageException("denied", false, null);
        })).hasMessage("denied");
        assertThat(calls).hasValue(1);
    }

    @Test
    void givenPersistentTransientFailure_whenRunning_thenGivesUpAfterMaxAttempts() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> policy.run("op", () -> {
            calls.incrementAndGet();
            throw new StorageException("down", true, null);
        })).hasMessage("down");
        assertThat(calls).hasValue(4);
    }

    @Test
    void givenInvalidSettings_whenConstructing_thenRejected() {
        assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO)).hasMessageContaining("maxAttempts");
    }
}
