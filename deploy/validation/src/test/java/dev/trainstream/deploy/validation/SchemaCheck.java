package dev.trainstream.deploy.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A JSON schema (networknt validator) applied to documents; optionally closed so unknown fields are errors. */
final class SchemaCheck {
    private final Path source;
    private final Schema schema;

    private SchemaCheck(Path source, Schema schema) {
        this.source = source;
        this.schema = schema;
    }

    /** The schema exactly as written (the Compose Specification is already strict). */
    static SchemaCheck asWritten(Path schemaFile) {
        return new SchemaCheck(schemaFile, compile(schemaFile, read(schemaFile)));
    }

    /**
     * The schema with every object that lists properties but says nothing about others closed (additionalProperties
     * false), as kubeconform's strict mode does: CRD schemas such as Strimzi's otherwise accept misspelt fields.
     * Objects marked x-kubernetes-preserve-unknown-fields stay open.
     */
    static SchemaCheck closed(Path schemaFile) {
        JsonNode schema = read(schemaFile);
        close(schema);
        return new SchemaCheck(schemaFile, compile(schemaFile, schema));
    }

    List<String> validate(JsonNode document) {
        return schema.validate(document).stream().map(Error::toString).toList();
    }

    Path source() {
        return source;
    }

    /**
     * Draft 7 for all: the Kubernetes schemas declare the unversioned "http://json-schema.org/schema#", which names no
     * dialect, so $schema is dropped; the file's own location is the base for relative $ids ("compose_spec.json").
     */
    private static Schema compile(Path schemaFile, JsonNode schema) {
        if (schema instanceof ObjectNode object) {
            object.remove("$schema");
        }
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7)
                .getSchema(SchemaLocation.of(schemaFile.toUri().toString()), schema);
    }

    private static JsonNode read(Path file) {
        try {
            return JsonTrees.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema " + file, e);
        }
    }

    private static void close(JsonNode node) {
        if (node instanceof ObjectNode object) {
            boolean preserves = object.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
            if (object.has("properties") && !object.has("additionalProperties") && !preserves) {
                object.put("additionalProperties", false);
            }
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                close(field.getValue());
            }
        } else if (node instanceof ArrayNode array) {
            array.forEach(SchemaCheck::close);
        }
    }
}
