package dev.trainstream.events.topics;

import dev.trainstream.events.EventType;
import dev.trainstream.events.TrainstreamEvent;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/** A typed topic handle: name + key extraction + allowed event types, shared by code and tests. */
public final class Topic<V extends TrainstreamEvent> {

    private final String name;
    private final int partitions;
    private final Class<V> valueType;
    private final Function<? super V, String> keyExtractor;
    private final Set<EventType> eventTypes;
    private final Map<String, String> config;

    private Topic(String name, int partitions, Class<V> valueType, Function<? super V, String> keyExtractor,
                  Set<EventType> eventTypes, Map<String, String> config) {
        this.name = name;
        this.partitions = partitions;
        this.valueType = valueType;
        this.keyExtractor = keyExtractor;
        this.eventTypes = eventTypes;
        this.config = config;
    }

    /**
     * Defines a topic.
     *
     * @param name         topic name, e.g. trainstream.batches.v1
     * @param partitions   default partition count used when the project creates the topic, >= 1
     * @param valueType    common supertype of the events it carries
     * @param keyExtractor Kafka key of an event
     * @param eventTypes   event types that may travel on it; each must be a subtype of valueType
     * @param config       topic configuration applied on creation (e.g. retention.ms, cleanup.policy)
     */
    public static <V extends TrainstreamEvent> Topic<V> define(String name, int partitions, Class<V> valueType,
                                                               Function<? super V, String> keyExtractor,
                                                               Set<EventType> eventTypes, Map<String, String> config) {
        if (name == null || !name.matches("[a-zA-Z0-9._-]{1,249}")) {
            throw new IllegalArgumentException("name must be a legal Kafka topic name, got " + name);
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
        }
        Objects.requireNonNull(valueType, "valueType");
        if (keyExtractor == null) {
            throw new IllegalArgumentException("keyExtractor must not be null");
        }
        if (eventTypes == null || eventTypes.isEmpty()) {
            throw new IllegalArgumentException("eventTypes must not be empty");
        }
        for (EventType type : eventTypes) {
            if (!valueType.isAssignableFrom(type.javaType())) {
                throw new IllegalArgumentException("eventTypes: " + type + " is not a " + valueType.getSimpleName());
            }
        }
        if (config == null) {
            throw new IllegalArgumentException("config must not be null");
        }
        return new Topic<>(name, partitions, valueType, keyExtractor,
                Set.copyOf(EnumSet.copyOf(eventTypes)), Map.copyOf(config));
    }

    /** Topic name. */
    public String name() {
        return name;
    }

    /** Default partition count used when the project creates topics. */
    public int partitions() {
        return partitions;
    }

    /** Common supertype of the events on this topic. */
    public Class<V> valueType() {
        return valueType;
    }

    /** The Kafka key of an event: datasetId, runId or source topic, depending on the topic. */
    public String keyOf(V event) {
        if (event == null) {
            throw new IllegalArgumentException("event must not be null");
        }
        return keyExtractor.apply(event);
    }

    /** Which event types may travel on this topic. */
    public Set<EventType> eventTypes() {
        return eventTypes;
    }

    /** Topic configuration applied when the project creates the topic. */
    public Map<String, String> config() {
        return config;
    }

    @Override
    public String toString() {
        return name;
    }
}
