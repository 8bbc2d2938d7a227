package dev.trainstream.events.produce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainstream.events.DeadLetter;
import dev.trainstream.events.codec.EventCodec;
import dev.trainstream.events.topics.Topics;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A dead letter of any rejected record is schema-valid and fits one Kafka record; what it drops is said. */
class DeadLettersTest {
    private static final int RECORD_LIMIT = 1024 * 1024;

    private final EventCodec codec = EventCodec.create("/trainstream/test");
    // No broker is contacted: building letters does not publish.
    private final EventPublisher publisher = EventPublisher.create("127.0.0.1:1", codec, "dead-letters-test");
    private final DeadLetters deadLetters = DeadLetters.over(publisher, codec, "trainer/run-1",
        Clock.fixed(Instant.parse("2026-12-06T00:00:00Z"), ZoneOffset.UTC));

    @AfterEach
    void close() {
        deadLetters.close();
        publisher.close();
    }

    @Test
    void givenAPayloadAtTheRecordLimit_whenParked_thenTheDeadLetterFitsAndNamesTheWholePayload() throws Exception {
        byte[] payload = new byte[RECORD_LIMIT];
        String key = "k".repeat(500_000);
        String reason = "bad ".repeat(50_000);

        DeadLetter letter = deadLetters.letter(Topics.BATCHES.name(), 0, 5, key, "dev.trainstream.x.v1", payload, reason);

        ProducerRecord<String, byte[]> record = codec.encode(Topics.DEAD_LETTERS, letter);
        assertThat(record.value().length).isLessThan(RECORD_LIMIT / 4);
        ConsumerRecord<String, byte[]> read = new ConsumerRecord<>(record.topic(), 0, 0L, 0L, TimestampType.CREATE_TIME,
            -1, -1, record.key(), record.value(), record.headers(), Optional.empty());
        assertThat(codec.decode(Topics.DEAD_LETTERS, read)).isEqualTo(letter);
        assertThat(letter.payloadBytes()).isEqualTo(RECORD_LIMIT);
        assertThat(letter.payloadTruncated()).isTrue();
        assertThat(letter.payloadSha256()).hasSize(64);
        assertThat(letter.reason()).hasSize(DeadLetters.MAX_REASON_CHARS).endsWith("…");
        assertThat(letter.key()).hasSize(DeadLetters.MAX_LABEL_CHARS).startsWith("kkk");
    }

    @Test
    void givenARecordWithoutAValue_whenParked_thenTheExcerptIsEmptyAndNothingIsTruncated() {
        DeadLetter letter = deadLetters.letter(Topics.BATCHES.name(), 1, 2, null, null, null, "no value");

        assertThat(letter.payloadBase64()).isEmpty();
        assertThat(letter.payloadBytes()).isZero();
        assertThat(letter.payloadTruncated()).isFalse();
        assertThat(letter.payloadSha256()).isEqualTo(
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(letter.service()).isEqualTo("trainer/run-1");
    }

    @Test
    void givenABlankReason_whenParked_thenIllegalArgument() {
        assertThatThrownBy(() -> deadLetters.letter(Topics.BATCHES.name(), 0, 0, null, null, new byte[1], " "))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reason");
    }
}
