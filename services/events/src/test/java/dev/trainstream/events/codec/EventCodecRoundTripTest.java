package dev.trainstream.events.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainstream.events.EvaluationCompleted;
import dev.trainstream.events.EventType;
import dev.trainstream.events.SampleEvents;
import dev.trainstream.events.TrainstreamEvent;
import dev.trainstream.events.topics.Topic;
import dev.trainstream.events.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Specification: every event type survives encode → Kafka record → decode unchanged, in CloudEvents binary mode. */
class EventCodecRoundTripTest {

    private final EventCodec codec = EventCodec.create("/trainstream/test");

    @ParameterizedTest
    @EnumSource(EventType.class)
    void givenRealisticEvent_whenEncodedAndDecoded_thenEqualsOriginal(EventType type) throws Exception {
        TrainstreamEvent event = SampleEvents.sample(type);
        Topic<?> topic = Topics.carrying(type);

        ProducerRecord<String, byte[]> sent = encode(topic, event);
        TrainstreamEvent decoded = codec.decode(topic, KafkaRecords.consumed(sent, 0, 7L));

        assertThat(decoded).isEqualTo(event);
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void givenEvent_whenEncoded_thenRecordCarriesKeyTopicAndCloudEventsHeaders(EventType type) {
        TrainstreamEvent event = SampleEvents.sample(type);
        Topic<?> topic = Topics.carrying(type);

        ProducerRecord<String, byte[]> sent = encode(topic, event);

        assertThat(sent.topic()).isEqualTo(topic.name());
        assertThat(sent.key()).isEqualTo(keyOf(topic, event)).isNotBlank();
        assertThat(header(sent, "ce_specversion")).isEqualTo("1.0");
        assertThat(header(sent, "ce_type")).isEqualTo(type.ceType());
        assertThat(header(sent, "ce_source")).isEqualTo("/trainstream/test");
        assertThat(header(sent, "ce_dataschema")).isEqualTo(type.dataschema().toString());
        assertThat(header(sent, "content-type")).isEqualTo("application/json");
        assertThat(UUID.fromString(header(sent, "ce_id"))).isNotNull();
        assertThat(OffsetDateTime.parse(header(sent, "ce_time"))).isNotNull();
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void givenEvent_whenEncoded_thenValueIsPlainJsonValidAgainstItsSchemaFile(EventType type) throws Exception {
        TrainstreamEvent event = SampleEvents.sample(type);

        ProducerRecord<String, byte[]> sent = encode(Topics.carrying(type), event);
        JsonNode json = codec.mapper().readTree(sent.value());

        assertThat(json.isObject()).isTrue();
        assertThat(EventSchemas.load().violations(type, json)).isEmpty();
        assertThat(sent.value()).isEqualTo(codec.toJson(event));
    }

    @Test
    void givenFlipScoredEvaluation_whenEncoded_thenFieldIsWrittenSchemaValidAndDecodedBack_andAbsentOtherwise()
            throws Exception {
        EvaluationCompleted plain = SampleEvents.evaluationCompleted();
        EvaluationCompleted flipped = new EvaluationCompleted(plain.runId(), plain.checkpointUri(),
                plain.checkpointSha256(), plain.step(), plain.epoch(), plain.accuracy(), plain.meanLoss(),
                plain.classes(), plain.perClassAccuracy(), plain.confusionMatrix(), plain.examples(),
                plain.imagesPerSecond(), plain.durationMs(), plain.gate(), plain.evaluatedAt(),
                EvaluationCompleted.HORIZONTAL_FLIP);

        ProducerRecord<String, byte[]> sent = encode(Topics.EVALUATIONS, flipped);
        JsonNode json = codec.mapper().readTree(sent.value());

        assertThat(json.get("testTimeAugmentation").asText()).isEqualTo("hflip");
        assertThat(EventSchemas.load().violations(EventType.EVALUATION_COMPLETED, json)).isEmpty();
        assertThat(codec.decode(Topics.EVALUATIONS, KafkaRecords.consumed(sent, 0, 1L))).isEqualTo(flipped);
        assertThat(codec.mapper().readTree(codec.toJson(plain)).has("testTimeAugmentation")).isFalse();
        ((ObjectNode) json).put("testTimeAugmentation", "vflip");
        assertThat(EventSchemas.load().violations(EventType.EVALUATION_COMPLETED, json)).isNotEmpty();
    }

    @Test
    void givenTwoEncodings_whenComparingIds_thenEachEventGetsItsOwnCeId() throws Exception {
        ProducerRecord<String, byte[]> first = codec.encode(Topics.BATCHES, SampleEvents.batchReference());
        ProducerRecord<String, byte[]> second = codec.encode(Topics.BATCHES, SampleEvents.batchReference());

        DecodedEvent<?> decoded = codec.decodeWithAttributes(Topics.BATCHES, KafkaRecords.consumed(first, 1, 3L));

        assertThat(header(first, "ce_id")).isNotEqualTo(header(second, "ce_id"));
        assertThat(decoded.ceId()).isEqualTo(header(first, "ce_id"));
        assertThat(decoded.type()).isEqualTo(EventType.BATCH_REFERENCE);
        assertThat(decoded.source()).hasToString("/trainstream/test");
        assertThat(decoded.time()).isNotNull();
    }

    @Test
    void givenRunStoppedBySigterm_whenRoundTripped_thenTheSchemaAcceptsItAndItDecodesEqual() throws Exception {
        ProducerRecord<String, byte[]> sent = codec.encode(Topics.RUNS, SampleEvents.runStopped());

        JsonNode json = codec.mapper().readTree(sent.value());

        assertThat(json.path("phase").asText()).isEqualTo("STOPPED");
        assertThat(codec.decode(Topics.RUNS, KafkaRecords.consumed(sent, 2, 0L))).isEqualTo(SampleEvents.runStopped());
    }

    @Test
    void givenRunFailedWithoutConfig_whenRoundTripped_thenAbsentConfigStaysAbsent() throws Exception {
        ProducerRecord<String, byte[]> sent = codec.encode(Topics.RUNS, SampleEvents.runFailed());

        JsonNode json = codec.mapper().readTree(sent.value());
        ConsumerRecord<String, byte[]> consumed = KafkaRecords.consumed(sent, 2, 0L);

        assertThat(json.has("config")).isFalse();
        assertThat(codec.decode(Topics.RUNS, consumed)).isEqualTo(SampleEvents.runFailed());
    }

    @Test
    void givenFirstPromotionWithoutPreviousBest_whenRoundTripped_thenPreviousFieldsStayAbsent() throws Exception {
        ProducerRecord<String, byte[]> sent = codec.encode(Topics.EVALUATIONS, SampleEvents.firstModelPromoted());

        JsonNode json = codec.mapper().readTree(sent.value());
        ConsumerRecord<String, byte[]> consumed = KafkaRecords.consumed(sent, 1, 5L);

        assertThat(json.has("previousCheckpointUri")).isFalse();
        assertThat(json.has("previousAccuracy")).isFalse();
        assertThat(codec.decode(Topics.EVALUATIONS, consumed)).isEqualTo(SampleEvents.firstModelPromoted());
    }

    @Test
    void givenPromotionWithOnlyPreviousUri_whenDecoded_thenRejectedBySchema() throws Exception {
        ObjectNode json = (ObjectNode) codec.mapper().readTree(codec.toJson(SampleEvents.modelPromoted()));
        json.remove("previousAccuracy");

        assertThatThrownBy(() -> codec.fromJson(codec.mapper().writeValueAsBytes(json),
                dev.trainstream.events.ModelPromoted.class))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("previousAccuracy");
    }

    @Test
    void givenEvent_whenWrittenAsPlainJson_thenFromJsonReadsItBack() throws Exception {
        byte[] json = codec.toJson(SampleEvents.evaluationCompleted());

        assertThat(codec.fromJson(json, dev.trainstream.events.EvaluationCompleted.class))
                .isEqualTo(SampleEvents.evaluationCompleted());
        assertThat(new String(json, StandardCharsets.UTF_8)).contains("\"evaluatedAt\":\"2025-05-01T12:14:02Z\"");
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private ProducerRecord<String, byte[]> encode(Topic<?> topic, TrainstreamEvent event) {
        return codec.encode((Topic) topic, event);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static String keyOf(Topic<?> topic, TrainstreamEvent event) {
        return ((Topic) topic).keyOf(event);
    }

    private static String header(ProducerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        assertThat(header).as("header %s", name).isNotNull();
        return new String(header.value(), StandardCharsets.UTF_8);
    }
}
