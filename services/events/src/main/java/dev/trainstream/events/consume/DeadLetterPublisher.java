package dev.trainstream.events.consume;

import dev.trainstream.events.DeadLetter;
import dev.trainstream.events.codec.EventCodec;
import dev.trainstream.events.produce.EventPublisher;
import dev.trainstream.events.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/** Publishes DeadLetter events for rejected records (own idempotent producer, acks=all). */
public final class DeadLetterPublisher implements AutoCloseable {

    private final EventPublisher publisher;
    private final String service;

    private DeadLetterPublisher(EventPublisher publisher, String service) {
        this.publisher = publisher;
        this.service = service;
    }

    /**
     * @param bootstrap Kafka bootstrap servers
     * @param codec     codec of the rejecting service
     * @param service   name of the rejecting service, recorded in each dead letter, e.g. "trainer"
     */
    public static DeadLetterPublisher create(String bootstrap, EventCodec codec, String service) {
        return create(bootstrap, codec, service, new Properties());
    }

    /** As {@link #create(String, EventCodec, String)}, with extra producer properties. */
    public static DeadLetterPublisher create(String bootstrap, EventCodec codec, String service, Properties extra) {
        if (service == null || service.isBlank()) {
            throw new IllegalArgumentException("service must be non-blank");
        }
        return new DeadLetterPublisher(EventPublisher.create(bootstrap, codec, service + "-deadletter", extra), service);
    }

    /**
     * Publishes a dead letter for the record and waits for the acknowledgement.
     *
     * @throws dev.trainstream.events.produce.PublishException if it was not acknowledged: the record must not be
     *                                                         skipped silently, so the caller should stop
     */
    public void publish(ConsumerRecord<String, byte[]> record, String reason) {
        if (record == null) {
            throw new IllegalArgumentException("record must not be null");
        }
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("reason must be non-blank");
        }
        publisher.publish(Topics.DEAD_LETTERS, toDeadLetter(record, reason, service));
    }

    /** The dead letter describing a rejected record. */
    public static DeadLetter toDeadLetter(ConsumerRecord<String, byte[]> record, String reason, String service) {
        Header ceType = record.headers().lastHeader(EventCodec.CE_TYPE_HEADER);
        String payload = record.value() == null ? "" : Base64.getEncoder().encodeToString(record.value());
        return new DeadLetter(record.topic(), record.partition(), record.offset(), record.key(),
                ceType == null || ceType.value() == null ? null : new String(ceType.value(), StandardCharsets.UTF_8),
                reason, payload, service, Instant.now());
    }

    @Override
    public void close() {
        publisher.close();
    }
}
