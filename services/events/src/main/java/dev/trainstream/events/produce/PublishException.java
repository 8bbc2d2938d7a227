package dev.trainstream.events.produce;

import org.apache.kafka.common.errors.RetriableException;

/** An event was not acknowledged by the broker; the caller decides whether to retry or stop. */
public final class PublishException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String topic;

    /** Publishing to {@code topic} failed because of {@code cause}. */
    public PublishException(String topic, String message, Throwable cause) {
        super("Publishing to " + topic + " failed: " + message, cause);
        this.topic = topic;
    }

    /** The topic that was being published to. */
    public String topic() {
        return topic;
    }

    /** Whether Kafka classifies the cause as retriable (e.g. a timeout or a leader change). */
    public boolean retriable() {
        return getCause() instanceof RetriableException;
    }
}
