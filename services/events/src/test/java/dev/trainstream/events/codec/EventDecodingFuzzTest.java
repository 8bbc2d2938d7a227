package dev.trainstream.events.codec;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.trainstream.events.EventType;
import dev.trainstream.events.topics.Topic;
import dev.trainstream.events.topics.Topics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Coverage-guided fuzzing of what every consumer decodes: a Kafka record's CloudEvent headers and JSON payload. Whatever
 * arrives, the codec answers with a valid event or {@link InvalidEventException} (which consumers dead-letter), never
 * another exception, an error or a hang. Seeds: the golden payloads, one per event type (docs/FUZZING.md).
 */
class EventDecodingFuzzTest {
    private static final EventCodec CODEC = EventCodec.create("/trainstream/fuzz");
    private static final EventType[] TYPES = EventType.values();
    private static final List<String> HEADER_NAMES = List.of("ce_specversion", "ce_id", "ce_source", "ce_type",
        "content-type", "ce_time", "ce_dataschema", "ce_subject");

    /** First byte: the event type (valid headers for it); the rest: its JSON payload. */
    @FuzzTest(maxDuration = "10s")
    void payload(byte[] bytes) {
        if (bytes.length == 0) {
            return;
        }
        EventType type = TYPES[Math.floorMod(bytes[0], TYPES.length)];
        byte[] payload = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("ce_specversion", "1.0");
        headers.put("ce_id", "fuzz-1");
        headers.put("ce_source", "/trainstream/fuzz");
        headers.put("ce_type", type.ceType());
        headers.put("content-type", EventCodec.JSON);
        decode(topicOf(type), payload, headers);
    }

    /** Any topic, any headers (known names or not, any values), any payload. */
    @FuzzTest(maxDuration = "10s")
    void headersAndPayload(FuzzedDataProvider data) {
        List<Topic<?>> topics = Topics.all();
        Topic<?> topic = topics.get(data.consumeInt(0, topics.size() - 1));
        Map<String, String> headers = new LinkedHashMap<>();
        int count = data.consumeInt(0, 10);
        for (int i = 0; i < count; i++) {
            String name = data.consumeBoolean() ? HEADER_NAMES.get(data.consumeInt(0, HEADER_NAMES.size() - 1))
                : data.consumeString(24);
            String value = data.consumeBoolean()
                ? TYPES[data.consumeInt(0, TYPES.length - 1)].ceType() : data.consumeString(80);
            headers.put(name, value);
        }
        decode(topic, data.consumeRemainingAsBytes(), headers);
    }

    private static void decode(Topic<?> topic, byte[] payload, Map<String, String> headers) {
        try {
            CODEC.decode(topic, KafkaRecords.withHeaders(topic.name(), 0, 0L, "key", payload, headers));
        } catch (InvalidEventException expected) {
            // the documented answer: the consumer dead-letters the record and goes on
        }
    }

    private static Topic<?> topicOf(EventType type) {
        return Topics.all().stream().filter(t -> t.eventTypes().contains(type)).findFirst().orElseThrow();
    }
}
