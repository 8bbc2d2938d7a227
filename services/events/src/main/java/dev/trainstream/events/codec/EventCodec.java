package dev.trainstream.events.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.trainstream.events.EventType;
import dev.trainstream.events.TrainstreamEvent;
import dev.trainstream.events.topics.Topic;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.cloudevents.rw.CloudEventRWException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Encodes typed events to Kafka records and back, validating against the JSON schema on decode.
 *
 * <p>Over our usual ~250 lines because it is the whole wire contract in one place (CloudEvents headers, JSON
 * mapping, schema validation, and the error that names the record), which a reader checks against {@code schemas/}
 * side by side.
 */
public final class EventCodec {

    /** Content type of every payload. */
    public static final String JSON = "application/json";
    /** Kafka header names of the CloudEvents binary-mode binding that the codec inspects itself. */
    public static final String CE_TYPE_HEADER = "ce_type";
    public static final String CE_SPECVERSION_HEADER = "ce_specversion";
    public static final String CONTENT_TYPE_HEADER = "content-type";
    private static final int MAX_REPORTED_VIOLATIONS = 5;

    private final URI source;
    private final ObjectMapper mapper;
    private final EventSchemas schemas;

    private EventCodec(URI source, ObjectMapper mapper, EventSchemas schemas) {
        this.source = source;
        this.mapper = mapper;
        this.schemas = schemas;
    }

    /**
     * Creates a codec for one emitting service.
     *
     * @param source CloudEvents source of the events this codec encodes, e.g. "/trainstream/ingest"
     * @throws IllegalArgumentException if source is blank or not a URI reference
     * @throws IllegalStateException    if the schemas cannot be loaded from the classpath
     */
    public static EventCodec create(String source) {
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("source must be a non-blank URI reference, e.g. /trainstream/ingest");
        }
        URI uri;
        try {
            uri = URI.create(source);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("source must be a URI reference, got \"" + source + "\"", e);
        }
        return new EventCodec(uri, newMapper(), EventSchemas.load());
    }

    /** The Jackson mapper used for payloads: ISO-8601 instants, strict about unknown fields and null primitives. */
    public static ObjectMapper newMapper() {
        return JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                // Stable bytes for the same event: provenance maps are written in key order.
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }

    /** The CloudEvents source this codec stamps on encoded events. */
    public URI source() {
        return source;
    }

    /** The mapper used for payloads. */
    public ObjectMapper mapper() {
        return mapper;
    }

    /** The schemas used for validation. */
    public EventSchemas schemas() {
        return schemas;
    }

    /**
     * Encodes an event as a Kafka record: key from the topic, JSON value, CloudEvents binary-mode headers.
     *
     * @throws IllegalArgumentException if the event's type may not travel on the topic or violates its schema
     */
    public <V extends TrainstreamEvent> ProducerRecord<String, byte[]> encode(Topic<V> topic, V event) {
        if (topic == null) {
            throw new IllegalArgumentException("topic must not be null");
        }
        EventType type = EventType.of(event);
        if (!topic.eventTypes().contains(type)) {
            throw new IllegalArgumentException("event type " + type.ceType() + " may not be sent on " + topic.name()
                    + " (allowed: " + topic.eventTypes() + ")");
        }
        byte[] payload = toJson(event);
        List<String> violations = schemas.violations(type, readTreeUnchecked(payload));
        if (!violations.isEmpty()) {
            throw new IllegalArgumentException(type.ceType() + " violates " + type.schemaFile() + ": " + violations);
        }
        CloudEvent cloudEvent = CloudEventBuilder.v1()
                .withId(UUID.randomUUID().toString())
                .withSource(source)
                .withType(type.ceType())
                .withTime(OffsetDateTime.now(ZoneOffset.UTC))
                .withDataSchema(type.dataschema())
                .withData(JSON, payload)
                .build();
        return KafkaMessageFactory.createWriter(topic.name(), topic.keyOf(event)).writeBinary(cloudEvent);
    }

    /** Decodes and validates a record of the topic; see {@link #decodeWithAttributes}. */
    public <V extends TrainstreamEvent> V decode(Topic<V> topic, ConsumerRecord<String, byte[]> record)
            throws InvalidEventException {
        return decodeWithAttributes(topic, record).event();
    }

    /**
     * Decodes a record of the topic and returns it with its CloudEvents attributes.
     *
     * @throws InvalidEventException if the record is not a CloudEvent, has a missing/unknown ce_type or one not allowed
     *                               on the topic, a non-JSON payload, a payload violating the schema, or values the
     *                               record type rejects
     */
    public <V extends TrainstreamEvent> DecodedEvent<V> decodeWithAttributes(Topic<V> topic,
                                                                             ConsumerRecord<String, byte[]> record)
            throws InvalidEventException {
        if (topic == null || record == null) {
            throw new IllegalArgumentException("topic and record must not be null");
        }
        CloudEvent cloudEvent = readCloudEvent(record);
        String ceType = cloudEvent.getType();
        Optional<EventType> known = EventType.fromCeType(ceType);
        if (known.isEmpty()) {
            throw invalid(record, "unknown ce_type \"" + ceType + "\"", null);
        }
        EventType type = known.get();
        if (!topic.eventTypes().contains(type)) {
            throw invalid(record, "ce_type " + ceType + " is not allowed on topic " + topic.name(), null);
        }
        String contentType = cloudEvent.getDataContentType();
        if (contentType != null && !contentType.toLowerCase(Locale.ROOT).startsWith(JSON)) {
            throw invalid(record, "content type \"" + contentType + "\" is not " + JSON, null);
        }
        if (cloudEvent.getData() == null) {
            throw invalid(record, "no payload", null);
        }
        JsonNode json;
        try {
            json = readTree(cloudEvent.getData().toBytes());
        } catch (IOException e) {
            throw invalid(record, "payload is not JSON (" + firstLine(e.getMessage()) + ")", e);
        }
        List<String> violations = schemas.violations(type, json);
        if (!violations.isEmpty()) {
            throw invalid(record, "payload violates " + type.schemaFile() + ": " + summarize(violations), null);
        }
        try {
            TrainstreamEvent event = mapper.treeToValue(json, type.javaType());
            V typed = topic.valueType().cast(event);
            return new DecodedEvent<>(typed, type, cloudEvent.getId(), cloudEvent.getSource(), cloudEvent.getTime());
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw invalid(record, "payload rejected by " + type.javaType().getSimpleName() + ": " + rootMessage(e), e);
        }
    }

    /** The plain JSON payload of an event (used e.g. to write results to S3). */
    public byte[] toJson(TrainstreamEvent event) {
        if (event == null) {
            throw new IllegalArgumentException("event must not be null");
        }
        try {
            return mapper.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialize " + event.getClass().getSimpleName(), e);
        }
    }

    /**
     * Reads a JSON document; an event type's payload is validated against its schema first.
     *
     * @throws InvalidEventException if the bytes are not JSON, violate the schema, or are rejected by the type
     */
    public <T> T fromJson(byte[] json, Class<T> type) throws InvalidEventException {
        if (json == null || type == null) {
            throw new IllegalArgumentException("json and type must not be null");
        }
        JsonNode tree;
        try {
            tree = readTree(json);
        } catch (IOException e) {
            throw new InvalidEventException("not JSON (" + firstLine(e.getMessage()) + ")", e);
        }
        Optional<EventType> eventType = eventTypeOf(type);
        if (eventType.isPresent()) {
            List<String> violations = schemas.violations(eventType.get(), tree);
            if (!violations.isEmpty()) {
                throw new InvalidEventException("violates " + eventType.get().schemaFile() + ": "
                        + summarize(violations), null);
            }
        }
        try {
            return mapper.treeToValue(tree, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new InvalidEventException("rejected by " + type.getSimpleName() + ": " + rootMessage(e), e);
        }
    }

    private CloudEvent readCloudEvent(ConsumerRecord<String, byte[]> record) throws InvalidEventException {
        if (record.value() == null) {
            throw invalid(record, "null value (tombstone) is not an event", null);
        }
        String contentType = header(record, CONTENT_TYPE_HEADER);
        boolean structured = contentType != null && contentType.startsWith("application/cloudevents");
        if (!structured) {
            if (header(record, CE_SPECVERSION_HEADER) == null) {
                throw invalid(record, "not a CloudEvent: missing " + CE_SPECVERSION_HEADER + " header", null);
            }
            if (header(record, CE_TYPE_HEADER) == null) {
                throw invalid(record, "missing " + CE_TYPE_HEADER + " header", null);
            }
        }
        try {
            return KafkaMessageFactory.createReader(record).toEvent();
        } catch (CloudEventRWException | IllegalStateException e) {
            throw invalid(record, "not a valid CloudEvent: " + e.getMessage(), e);
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private JsonNode readTree(byte[] bytes) throws IOException {
        JsonNode node = mapper.readTree(bytes);
        if (node == null || node.isMissingNode()) {
            throw new IOException("empty document");
        }
        return node;
    }

    private JsonNode readTreeUnchecked(byte[] bytes) {
        try {
            return readTree(bytes);
        } catch (IOException e) {
            throw new IllegalStateException("Serialized event is not readable JSON", e);
        }
    }

    private static Optional<EventType> eventTypeOf(Class<?> type) {
        for (EventType eventType : EventType.values()) {
            if (eventType.javaType().equals(type)) {
                return Optional.of(eventType);
            }
        }
        return Optional.empty();
    }

    private static InvalidEventException invalid(ConsumerRecord<String, byte[]> record, String problem,
                                                 Throwable cause) {
        return new InvalidEventException(record.topic(), record.partition(), record.offset(), problem, cause);
    }

    private static String summarize(List<String> violations) {
        List<String> shown = violations.subList(0, Math.min(MAX_REPORTED_VIOLATIONS, violations.size()));
        String more = violations.size() > shown.size() ? " (+" + (violations.size() - shown.size()) + " more)" : "";
        return String.join("; ", shown) + more;
    }

    private static String rootMessage(Exception e) {
        Throwable root = e;
        if (e instanceof ValueInstantiationException && e.getCause() != null) {
            root = e.getCause();
        }
        return firstLine(root.getMessage());
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
