package dev.trainstream.events.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainstream.events.EventType;
import dev.trainstream.events.SampleEvents;
import dev.trainstream.events.TrainstreamEvent;
import dev.trainstream.events.topics.Topic;
import dev.trainstream.events.topics.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Wire compatibility: payloads written by version 1 (golden/*.json) with hand-spelled CloudEvents headers must keep
 * decoding to the same records. If this fails, the change breaks consumers: publish a .v2 type instead.
 */
class GoldenFilesTest {

    /** ce_type values as they are on the wire; spelled out so that a rename in code cannot pass unnoticed. */
    private static final Map<EventType, String> WIRE_TYPES = Map.of(
            EventType.BATCH_REFERENCE, "dev.trainstream.batch-reference.v1",
            EventType.EPOCH_COMPLETED, "dev.trainstream.epoch-completed.v1",
            EventType.TRAINING_METRICS, "dev.trainstream.training-metrics.v1",
            EventType.CHECKPOINT_CREATED, "dev.trainstream.checkpoint-created.v1",
            EventType.EVALUATION_COMPLETED, "dev.trainstream.evaluation-completed.v1",
            EventType.EVALUATION_FAILED, "dev.trainstream.evaluation-failed.v1",
            EventType.MODEL_PROMOTED, "dev.trainstream.model-promoted.v1",
            EventType.RUN_LIFECYCLE, "dev.trainstream.run-lifecycle.v1",
            EventType.DEAD_LETTER, "dev.trainstream.dead-letter.v1");

    private final EventCodec codec = EventCodec.create("/trainstream/test");

    @ParameterizedTest
    @EnumSource(EventType.class)
    void givenGoldenPayload_whenReadAsPlainJson_thenEqualsExpectedRecord(EventType type) throws Exception {
        byte[] golden = golden(type);

        TrainstreamEvent read = codec.fromJson(golden, type.javaType());

        assertThat(read).isEqualTo(SampleEvents.sample(type));
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void givenGoldenPayloadWithV1Headers_whenDecodedFromItsTopic_thenEqualsExpectedRecord(EventType type)
            throws Exception {
        Topic<?> topic = Topics.carrying(type);
        ConsumerRecord<String, byte[]> record = KafkaRecords.withHeaders(topic.name(), 1, 4242L, "some-key",
                golden(type), Map.of(
                        "ce_specversion", "1.0",
                        "ce_id", "0b7c6f4e-3c1d-4b7a-9a53-0c8f3d2e1a99",
                        "ce_source", "/trainstream/golden",
                        "ce_type", WIRE_TYPES.get(type),
                        "ce_time", "2025-05-01T12:00:00Z",
                        "ce_dataschema", "https://trainstream.dev/schemas/" + type.schemaFile(),
                        "content-type", "application/json"));

        DecodedEvent<?> decoded = codec.decodeWithAttributes(topic, record);

        assertThat(decoded.event()).isEqualTo(SampleEvents.sample(type));
        assertThat(decoded.ceId()).isEqualTo("0b7c6f4e-3c1d-4b7a-9a53-0c8f3d2e1a99");
        assertThat(decoded.source()).hasToString("/trainstream/golden");
    }

    private static byte[] golden(EventType type) throws IOException {
        try (InputStream in = GoldenFilesTest.class.getResourceAsStream("/golden/" + type.schemaFile())) {
            assertThat(in).as("golden file for %s", type).isNotNull();
            return in.readAllBytes();
        }
    }
}
