package dev.trainstream.events.produce;

import dev.trainstream.events.DeadLetter;
import dev.trainstream.events.EventType;
import dev.trainstream.events.TrainstreamEvent;
import dev.trainstream.events.codec.EventCodec;
import dev.trainstream.events.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * The one way a rejected record or event becomes a DeadLetter and reaches its topic: every text and the payload are
 * bounded so a dead letter always fits Kafka's 1 MiB record limit (a rejected record can be close to it), and the full
 * payload stays identifiable by its size and SHA-256. Publishing waits for the acknowledgement.
 */
public final class DeadLetters implements AutoCloseable {
    /** How much of a rejected payload a dead letter carries (raw bytes, before base64). */
    public static final int PAYLOAD_EXCERPT_BYTES = 64 * 1024;
    /** Longest reason kept (characters); longer ones end in an ellipsis. */
    public static final int MAX_REASON_CHARS = 4096;
    /** Longest record key or ce_type kept (characters). */
    public static final int MAX_LABEL_CHARS = 1024;

    private final EventPublisher publisher;
    private final boolean ownsPublisher;
    private final EventCodec codec;
    private final String service;
    private final Clock clock;

    private DeadLetters(EventPublisher publisher, boolean ownsPublisher, EventCodec codec, String service, Clock clock) {
        if (service == null || service.isBlank()) {
            throw new IllegalArgumentException("service must be non-blank");
        }
        if (publisher == null || codec == null || clock == null) {
            throw new IllegalArgumentException("publisher, codec and clock must be set");
        }
        this.publisher = publisher;
        this.ownsPublisher = ownsPublisher;
        this.codec = codec;
        this.service = service;
        this.clock = clock;
    }

    /**
     * Dead letters through a producer of their own (closed with this).
     *
     * @param service name of the rejecting service, recorded in each dead letter, e.g. "trainer/run-1"
     */
    public static DeadLetters create(String bootstrap, EventCodec codec, String service) {
        if (service == null || service.isBlank()) {
            throw new IllegalArgumentException("service must be non-blank");
        }
        return new DeadLetters(EventPublisher.create(bootstrap, codec, service.replace('/', '-') + "-deadletter"),
            true, codec, service, Clock.systemUTC());
    }

    /** Dead letters through {@code publisher}, which stays the caller's to close. */
    public static DeadLetters over(EventPublisher publisher, EventCodec codec, String service, Clock clock) {
        return new DeadLetters(publisher, false, codec, service, clock);
    }

    /**
     * Parks a record that is not a valid event (its bytes as they arrived).
     *
     * @throws PublishException if it was not acknowledged: the record must not be skipped silently, so stop
     */
    public void reject(ConsumerRecord<String, byte[]> record, String reason) {
        if (record == null) {
            throw new IllegalArgumentException("record must not be null");
        }
        Header ceType = record.headers().lastHeader(EventCodec.CE_TYPE_HEADER);
        String type = ceType == null || ceType.value() == null ? null
            : new String(ceType.value(), StandardCharsets.UTF_8);
        publisher.publish(Topics.DEAD_LETTERS, letter(record.topic(), record.partition(), record.offset(), record.key(),
            type, record.value(), reason));
    }

    /**
     * Parks a valid event that can never be handled (a batch whose shard is gone, a checkpoint that cannot be
     * scored), as the JSON of the event.
     *
     * @throws PublishException if it was not acknowledged
     */
    public void reject(String topic, int partition, long offset, String key, TrainstreamEvent event, String reason) {
        if (event == null) {
            throw new IllegalArgumentException("event must not be null");
        }
        publisher.publish(Topics.DEAD_LETTERS, letter(topic, partition, offset, key, EventType.of(event).ceType(),
            codec.toJson(event), reason));
    }

    /** The bounded dead letter for a payload (null for a record without a value). */
    DeadLetter letter(String topic, int partition, long offset, String key, String ceType, byte[] payload,
                      String reason) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("reason must be non-blank");
        }
        byte[] bytes = payload == null ? new byte[0] : payload;
        boolean truncated = bytes.length > PAYLOAD_EXCERPT_BYTES;
        byte[] excerpt = truncated ? Arrays.copyOf(bytes, PAYLOAD_EXCERPT_BYTES) : bytes;
        return new DeadLetter(topic, partition, offset, bounded(key, MAX_LABEL_CHARS), bounded(ceType, MAX_LABEL_CHARS),
            bounded(reason, MAX_REASON_CHARS), Base64.getEncoder().encodeToString(excerpt), service, clock.instant(),
            (long) bytes.length, sha256(bytes), truncated);
    }

    private static String bounded(String text, int maxChars) {
        if (text == null || text.length() <= maxChars) {
            return text;
        }
        int end = maxChars - 1;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "…";
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    @Override
    public void close() {
        if (ownsPublisher) {
            publisher.close();
        }
    }
}
