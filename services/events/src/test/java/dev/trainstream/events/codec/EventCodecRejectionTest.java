package dev.trainstream.events.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainstream.events.BatchReference;
import dev.trainstream.events.SampleEvents;
import dev.trainstream.events.topics.Topic;
import dev.trainstream.events.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** Specification: decode rejects anything that is not a valid event of the topic, naming topic/partition/offset. */
class EventCodecRejectionTest {

    private static final int PARTITION = 2;
    private static final long OFFSET = 31_337L;

    private final EventCodec codec = EventCodec.create("/trainstream/test");

    @Test
    void givenPayloadMissingDatasetId_whenDecoded_thenSchemaViolationNamesFieldAndPosition() throws Exception {
        ObjectNode json = payload(Topics.BATCHES, SampleEvents.batchReference());
        json.remove("datasetId");

        ConsumerRecord<String, byte[]> record = withPayload(codec.encode(Topics.BATCHES, SampleEvents.batchReference()),
                json);

        assertRejected(Topics.BATCHES, record, "batch-reference.v1.json", "datasetId");
    }

    @Test
    void givenCheckpointWithMalformedSha256_whenDecoded_thenRejectedBySchema() throws Exception {
        ObjectNode json = payload(Topics.CHECKPOINTS, SampleEvents.checkpointCreated());
        json.put("sha256", "not-a-digest");

        ConsumerRecord<String, byte[]> record = withPayload(
                codec.encode(Topics.CHECKPOINTS, SampleEvents.checkpointCreated()), json);

        assertRejected(Topics.CHECKPOINTS, record, "checkpoint-created.v1.json", "sha256");
    }

    @Test
    void givenShardDigestInUpperCase_whenDecoded_thenRejectedBySchemaPattern() throws Exception {
        ObjectNode json = payload(Topics.BATCHES, SampleEvents.batchReference());
        ((ObjectNode) json.get("entries").get(0)).put("shardDigest", SampleEvents.SHARD_A.toUpperCase());

        ConsumerRecord<String, byte[]> record = withPayload(codec.encode(Topics.BATCHES, SampleEvents.batchReference()),
                json);

        assertRejected(Topics.BATCHES, record, "shardDigest");
    }

    @Test
    void givenUnknownExtraField_whenDecoded_thenRejectedBecauseSchemaIsClosed() throws Exception {
        ObjectNode json = payload(Topics.BATCHES, SampleEvents.batchReference());
        json.put("priority", "high");

        ConsumerRecord<String, byte[]> record = withPayload(codec.encode(Topics.BATCHES, SampleEvents.batchReference()),
                json);

        assertRejected(Topics.BATCHES, record, "priority");
    }

    @Test
    void givenNegativeStep_whenDecoded_thenRejectedBySchemaMinimum() throws Exception {
        ObjectNode json = payload(Topics.BATCHES, SampleEvents.batchReference());
        json.put("step", -1);

        ConsumerRecord<String, byte[]> record = withPayload(codec.encode(Topics.BATCHES, SampleEvents.batchReference()),
                json);

        assertRejected(Topics.BATCHES, record, "step");
    }

    @Test
    void givenTimestampThatIsNotRfc3339_whenDecoded_thenRejectedByDateTimeFormat() throws Exception {
        ObjectNode json = payload(Topics.CHECKPOINTS, SampleEvents.checkpointCreated());
        json.put("createdAt", "yesterday");

        ConsumerRecord<String, byte[]> record = withPayload(
                codec.encode(Topics.CHECKPOINTS, SampleEvents.checkpointCreated()), json);

        assertRejected(Topics.CHECKPOINTS, record, "createdAt");
    }

    @Test
    void givenRunStartedWithoutConfig_whenDecoded_thenRejectedBySchemaCondition() throws Exception {
        ObjectNode json = payload(Topics.RUNS, SampleEvents.runStarted());
        json.remove("config");

        ConsumerRecord<String, byte[]> record = withPayload(codec.encode(Topics.RUNS, SampleEvents.runStarted()), json);

        assertRejected(Topics.RUNS, record, "config");
    }

    @Test
    void givenSchemaValidPayloadThatTheRecordRejects_whenDecoded_thenConstructorMessageIsReported() throws Exception {
        ObjectNode json = payload(Topics.EVALUATIONS, SampleEvents.evaluationCompleted());
        ((ArrayNode) json.get("perClassAccuracy")).remove(0);

        ConsumerRecord<String, byte[]> record = withPayload(
                codec.encode(Topics.EVALUATIONS, SampleEvents.evaluationCompleted()), json);

        assertRejected(Topics.EVALUATIONS, record, "EvaluationCompleted", "perClassAccuracy");
    }

    @Test
    void givenCeTypeOfAnotherTopic_whenDecoded_thenRejectedAsNotAllowedOnTopic() throws Exception {
        ProducerRecord<String, byte[]> metrics = codec.encode(Topics.METRICS, SampleEvents.trainingMetrics());
        ConsumerRecord<String, byte[]> onBatches = new ConsumerRecord<>(Topics.BATCHES.name(), PARTITION, OFFSET,
                0L, org.apache.kafka.common.record.TimestampType.CREATE_TIME, -1, -1, metrics.key(), metrics.value(),
                metrics.headers(), java.util.Optional.empty());

        assertRejected(Topics.BATCHES, onBatches, "dev.trainstream.training-metrics.v1", "not allowed");
    }

    @Test
    void givenUnknownCeType_whenDecoded_thenRejected() throws Exception {
        ConsumerRecord<String, byte[]> record = binary(Topics.BATCHES, "dev.trainstream.batch-reference.v9",
                codec.toJson(SampleEvents.batchReference()));

        assertRejected(Topics.BATCHES, record, "unknown ce_type", "batch-reference.v9");
    }

    @Test
    void givenNoCeTypeHeader_whenDecoded_thenRejectedAsMissingCeType() throws Exception {
        Map<String, String> headers = headers("ignored");
        headers.remove("ce_type");
        ConsumerRecord<String, byte[]> record = KafkaRecords.withHeaders(Topics.BATCHES.name(), PARTITION, OFFSET,
                "k", codec.toJson(SampleEvents.batchReference()), headers);

        assertRejected(Topics.BATCHES, record, "missing ce_type");
    }

    @Test
    void givenNoCloudEventsHeadersAtAll_whenDecoded_thenRejectedAsNotACloudEvent() throws Exception {
        ConsumerRecord<String, byte[]> record = KafkaRecords.withHeaders(Topics.BATCHES.name(), PARTITION, OFFSET,
                "k", codec.toJson(SampleEvents.batchReference()), Map.of());

        assertRejected(Topics.BATCHES, record, "not a CloudEvent");
    }

    @Test
    void givenGarbageBytes_whenDecoded_thenRejectedAsNotJson() throws Exception {
        byte[] garbage = {(byte) 0xff, 0x00, 0x13, 0x37, '{', '"'};
        ConsumerRecord<String, byte[]> record = binary(Topics.BATCHES, "dev.trainstream.batch-reference.v1", garbage);

        assertRejected(Topics.BATCHES, record, "not JSON");
    }

    @Test
    void givenJsonArrayInsteadOfObject_whenDecoded_thenRejectedBySchema() throws Exception {
        ConsumerRecord<String, byte[]> record = binary(Topics.BATCHES, "dev.trainstream.batch-reference.v1",
                "[1,2,3]".getBytes(StandardCharsets.UTF_8));

        assertRejected(Topics.BATCHES, record, "batch-reference.v1.json");
    }

    @Test
    void givenTombstone_whenDecoded_thenRejected() {
        ConsumerRecord<String, byte[]> record = KafkaRecords.withHeaders(Topics.BATCHES.name(), PARTITION, OFFSET,
                "k", null, headers("dev.trainstream.batch-reference.v1"));

        assertRejected(Topics.BATCHES, record, "tombstone");
    }

    @Test
    void givenNonJsonContentType_whenDecoded_thenRejected() throws Exception {
        Map<String, String> headers = headers("dev.trainstream.batch-reference.v1");
        headers.put("content-type", "application/avro");
        ConsumerRecord<String, byte[]> record = KafkaRecords.withHeaders(Topics.BATCHES.name(), PARTITION, OFFSET,
                "k", codec.toJson(SampleEvents.batchReference()), headers);

        assertRejected(Topics.BATCHES, record, "application/avro");
    }

    @Test
    void givenEventOfTypeNotAllowedOnTopic_whenEncoded_thenIllegalArgument() {
        @SuppressWarnings({"unchecked", "rawtypes"})
        Topic<BatchReference> wrong = (Topic) Topics.METRICS;

        assertThatThrownBy(() -> codec.encode(wrong, SampleEvents.batchReference()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("trainstream.metrics.v1")
                .hasMessageContaining("dev.trainstream.batch-reference.v1");
    }

    @Test
    void givenGarbage_whenReadWithFromJson_thenInvalidEventWithoutKafkaPosition() {
        assertThatThrownBy(() -> codec.fromJson("nope".getBytes(StandardCharsets.UTF_8), BatchReference.class))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> {
                    assertThat(e.topic()).isNull();
                    assertThat(e.offset()).isEqualTo(-1L);
                    assertThat(e.getMessage()).contains("not JSON");
                });
    }

    @Test
    void givenBlankSource_whenCreatingCodec_thenIllegalArgumentNamingSource() {
        assertThatThrownBy(() -> EventCodec.create(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("source");
    }

    private void assertRejected(Topic<?> topic, ConsumerRecord<String, byte[]> record, String... problemParts) {
        assertThatThrownBy(() -> codec.decode(topic, record))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> {
                    assertThat(e.getMessage())
                            .contains("topic " + record.topic())
                            .contains("partition " + PARTITION)
                            .contains("offset " + OFFSET);
                    assertThat(e.topic()).isEqualTo(record.topic());
                    assertThat(e.partition()).isEqualTo(PARTITION);
                    assertThat(e.offset()).isEqualTo(OFFSET);
                    for (String part : problemParts) {
                        assertThat(e.problem()).contains(part);
                    }
                });
    }

    private <V extends dev.trainstream.events.TrainstreamEvent> ObjectNode payload(Topic<V> topic, V event)
            throws Exception {
        return (ObjectNode) codec.mapper().readTree(codec.encode(topic, event).value());
    }

    private ConsumerRecord<String, byte[]> withPayload(ProducerRecord<String, byte[]> sent, ObjectNode json)
            throws Exception {
        ConsumerRecord<String, byte[]> valid = KafkaRecords.consumed(sent, PARTITION, OFFSET);
        return new ConsumerRecord<>(valid.topic(), PARTITION, OFFSET, 0L,
                org.apache.kafka.common.record.TimestampType.CREATE_TIME, -1, -1, valid.key(),
                codec.mapper().writeValueAsBytes(json), valid.headers(), java.util.Optional.empty());
    }

    private static ConsumerRecord<String, byte[]> binary(Topic<?> topic, String ceType, byte[] value) {
        return KafkaRecords.withHeaders(topic.name(), PARTITION, OFFSET, "k", value, headers(ceType));
    }

    private static Map<String, String> headers(String ceType) {
        Map<String, String> headers = new HashMap<>();
        headers.put("ce_specversion", "1.0");
        headers.put("ce_id", "5d1e9c1a-0000-4000-8000-000000000001");
        headers.put("ce_source", "/trainstream/test");
        headers.put("ce_type", ceType);
        headers.put("content-type", "application/json");
        return headers;
    }
}
