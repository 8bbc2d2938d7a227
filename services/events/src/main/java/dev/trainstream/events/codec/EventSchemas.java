package dev.trainstream.events.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import dev.trainstream.events.EventType;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The JSON schemas (draft 2020-12) of every event type, loaded from the classpath copy of schemas/. */
public final class EventSchemas {

    private final Map<EventType, Schema> schemas;

    private EventSchemas(Map<EventType, Schema> schemas) {
        this.schemas = schemas;
    }

    /**
     * Loads every event type's schema; $id URIs under {@link EventType#SCHEMA_BASE_URI} (including cross-file $refs)
     * resolve to classpath resources, so nothing is fetched over the network.
     *
     * @throws IllegalStateException if a schema is missing or not a valid schema (a packaging bug, fatal)
     */
    public static EventSchemas load() {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                builder -> builder
                        .schemaIdResolvers(resolvers -> resolvers.mapPrefix(EventType.SCHEMA_BASE_URI,
                                "classpath:" + EventType.SCHEMA_RESOURCE_DIR))
                        // 2020-12 treats "format" as an annotation; we want date-time and uri checked on the wire.
                        .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
        Map<EventType, Schema> loaded = new EnumMap<>(EventType.class);
        for (EventType type : EventType.values()) {
            try {
                Schema schema = registry.getSchema(SchemaLocation.of(type.dataschema().toString()));
                schema.initializeValidators();
                loaded.put(type, schema);
            } catch (RuntimeException e) {
                throw new IllegalStateException("Cannot load JSON schema " + type.schemaResource() + " for " + type
                        + ": " + e.getMessage(), e);
            }
        }
        return new EventSchemas(loaded);
    }

    /** Schema violations of a JSON document against the event type's schema; empty when valid. */
    public List<String> violations(EventType type, JsonNode json) {
        List<Error> errors = schemas.get(type).validate(json);
        return errors.stream().map(EventSchemas::describe).toList();
    }

    private static String describe(Error error) {
        String location = error.getInstanceLocation() == null ? "" : error.getInstanceLocation().toString();
        return location.isEmpty() ? error.getMessage() : location + ": " + error.getMessage();
    }
}
