package dev.trainstream.dashboard.feed;

import java.time.Duration;

/**
 * Where the dashboard's event feed reads from.
 *
 * @param bootstrap         Kafka bootstrap servers, non-blank
 * @param groupId           consumer group id; the feed never commits, so it only names the clients, non-blank
 * @param topicReplication  replication factor for topics the feed creates when they are missing, >= 1
 * @param pollTimeout       how long one poll of one topic may block; bounds live-update latency, positive
 * @param retryBackoff      pause after a retriable Kafka error before polling again, positive
 */
public record FeedSettings(String bootstrap, String groupId, short topicReplication, Duration pollTimeout,
                           Duration retryBackoff) {

    public FeedSettings {
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException("bootstrap must be non-blank");
        }
        if (groupId == null || groupId.isBlank()) {
            throw new IllegalArgumentException("groupId must be non-blank");
        }
        if (topicReplication < 1) {
            throw new IllegalArgumentException("topicReplication must be >= 1, got " + topicReplication);
        }
        requirePositive(pollTimeout, "pollTimeout");
        requirePositive(retryBackoff, "retryBackoff");
    }

    private static void requirePositive(Duration value, String name) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
