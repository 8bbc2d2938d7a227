package dev.trainstream.examples.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The published JSON schema of metric events (schemas/training-metrics.v1.json), used to validate every payload. */
public final class MetricSchema {
    /** Where this example's build puts a copy of the published schema. */
    public static final String RESOURCE = "schemas/training-metrics.v1.json";

    private final Schema schema;

    private MetricSchema(Schema schema) {
        this.schema = schema;
    }

    /** The copy on the classpath. */
    public static MetricSchema fromClasspath() {
        try (InputStream in = MetricSchema.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the classpath");
            }
            return load(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + RESOURCE, e);
        }
    }

    /** A schema file, e.g. one fetched from the project's schemas/ folder. */
    public static MetricSchema fromFile(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return load(in);
        }
    }

    private static MetricSchema load(InputStream in) {
        Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        schema.initializeValidators();
        return new MetricSchema(schema);
    }

    /** What is wrong with a payload; empty when it is valid. */
    public List<String> violations(JsonNode payload) {
        return schema.validate(payload).stream().map(e -> e.getInstanceLocation() + ": " + e.getMessage()).toList();
    }
}
