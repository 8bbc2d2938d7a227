package dev.trainstream.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.trainstream.events.topics.Topic;
import dev.trainstream.events.topics.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Specification: schemas/asyncapi.yaml, the schema files and the Java catalogue describe the same contract. */
class AsyncApiContractTest {

    private static final String DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema";
    private static JsonNode asyncApi;
    private static Schema metaSchema;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = resource("asyncapi.yaml")) {
            asyncApi = new YAMLMapper().readTree(in);
        }
        metaSchema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(SchemaLocation.of(DRAFT_2020_12));
    }

    @Test
    void givenDocument_whenReadingVersion_thenItIsAsyncApi300() {
        assertThat(asyncApi.path("asyncapi").asText()).isEqualTo("3.0.0");
    }

    @Test
    void givenDocument_whenFollowingEveryRef_thenEachResolvesToANodeOrAnExistingValidSchemaFile() throws IOException {
        List<String> refs = refs(asyncApi);

        assertThat(refs).isNotEmpty();
        for (String ref : refs) {
            if (ref.startsWith("#")) {
                assertThat(asyncApi.at(ref.substring(1)).isMissingNode()).as("internal $ref %s", ref).isFalse();
            } else {
                assertThat(ref).as("external $ref").startsWith("./").endsWith(".json");
                assertValidSchemaFile(ref.substring(2));
            }
        }
    }

    @Test
    void givenTopicsCatalogue_whenComparedWithChannels_thenAddressPartitionsAndConfigMatch() {
        for (Topic<?> topic : Topics.all()) {
            JsonNode channel = channelWithAddress(topic.name());
            JsonNode kafka = channel.path("bindings").path("kafka");

            assertThat(kafka.path("topic").asText()).as("binding topic of %s", topic).isEqualTo(topic.name());
            assertThat(kafka.path("partitions").asInt()).as("partitions of %s", topic).isEqualTo(topic.partitions());
            JsonNode config = kafka.path("topicConfiguration");
            assertThat(config.path("retention.ms").asText()).as("retention of %s", topic)
                    .isEqualTo(topic.config().get("retention.ms"));
            assertThat(config.path("cleanup.policy").get(0).asText()).as("cleanup of %s", topic)
                    .isEqualTo(topic.config().get("cleanup.policy"));
        }
        assertThat(asyncApi.path("channels").size()).isEqualTo(Topics.all().size());
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void givenEventType_whenLookingForItsMessage_thenItIsOnItsTopicsChannelWithPayloadAndCeType(EventType type) {
        JsonNode channel = channelWithAddress(Topics.carrying(type).name());
        List<JsonNode> messages = new ArrayList<>();
        channel.path("messages").forEach(ref -> messages.add(asyncApi.at(ref.path("$ref").asText().substring(1))));

        JsonNode message = messages.stream()
                .filter(m -> m.path("payload").path("$ref").asText().equals("./" + type.schemaFile()))
                .findFirst().orElseThrow(() -> new AssertionError("no message with payload " + type.schemaFile()
                        + " on channel " + Topics.carrying(type).name()));

        JsonNode overrides = message.path("headers").path("allOf").get(1).path("properties");
        assertThat(overrides.path("ce_type").path("const").asText()).isEqualTo(type.ceType());
        assertThat(overrides.path("ce_dataschema").path("const").asText()).isEqualTo(type.dataschema().toString());
        assertThat(message.path("bindings").path("kafka").path("key").path("type").asText()).isEqualTo("string");
        assertThat(message.path("contentType").asText()).isEqualTo("application/json");
    }

    @Test
    void givenOperations_whenInspected_thenEachSendsOrReceivesMessagesOfItsOwnChannel() {
        Iterator<Map.Entry<String, JsonNode>> operations = asyncApi.path("operations").fields();
        int count = 0;
        while (operations.hasNext()) {
            Map.Entry<String, JsonNode> operation = operations.next();
            String channelRef = operation.getValue().path("channel").path("$ref").asText();
            assertThat(operation.getValue().path("action").asText()).as(operation.getKey()).isIn("send", "receive");
            assertThat(operation.getValue().path("messages")).as(operation.getKey()).isNotEmpty();
            operation.getValue().path("messages").forEach(m ->
                    assertThat(m.path("$ref").asText()).as(operation.getKey()).startsWith(channelRef + "/messages/"));
            count++;
        }
        assertThat(count).isGreaterThanOrEqualTo(9);
    }

    @Test
    void givenMetricsChannel_whenReadingDescription_thenDuplicatesAndOrderingAreDocumented() {
        String description = channelWithAddress(Topics.METRICS.name()).path("description").asText();

        assertThat(description).contains("(runId, step, key)").contains("restart").contains("key = runId");
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void givenSchemaFile_whenInspected_thenIdMatchesDataschemaAndObjectIsClosed(EventType type) throws IOException {
        JsonNode schema = readJson(type.schemaFile());

        assertThat(schema.path("$schema").asText()).isEqualTo(DRAFT_2020_12);
        assertThat(schema.path("$id").asText()).isEqualTo(type.dataschema().toString());
        assertThat(schema.path("additionalProperties").asBoolean(true)).isFalse();
        assertThat(schema.path("required")).isNotEmpty();
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void givenPackagedSchema_whenComparedWithRepositoryFile_thenIdentical(EventType type) throws IOException {
        Path repositoryFile = Path.of("..", "..", "schemas", type.schemaFile());

        try (InputStream packaged = resource(type.schemaFile())) {
            assertThat(packaged.readAllBytes()).isEqualTo(Files.readAllBytes(repositoryFile));
        }
    }

    private static void assertValidSchemaFile(String file) throws IOException {
        JsonNode schema = readJson(file);
        assertThat(metaSchema.validate(schema)).as("%s against the 2020-12 meta-schema", file).isEmpty();
        for (String ref : refs(schema)) {
            if (ref.startsWith("#")) {
                assertThat(schema.at(ref.substring(1)).isMissingNode()).as("%s: $ref %s", file, ref).isFalse();
            } else {
                assertThat(resourceExists(ref)).as("%s: $ref %s", file, ref).isTrue();
            }
        }
    }

    private static JsonNode channelWithAddress(String address) {
        for (JsonNode channel : asyncApi.path("channels")) {
            if (channel.path("address").asText().equals(address)) {
                return channel;
            }
        }
        throw new AssertionError("no channel with address " + address);
    }

    private static List<String> refs(JsonNode node) {
        List<String> refs = new ArrayList<>();
        collectRefs(node, refs);
        return refs;
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                if (field.getKey().equals("$ref")) {
                    refs.add(field.getValue().asText());
                } else {
                    collectRefs(field.getValue(), refs);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> collectRefs(child, refs));
        }
    }

    private static JsonNode readJson(String file) throws IOException {
        try (InputStream in = resource(file)) {
            return new ObjectMapper().readTree(in);
        }
    }

    private static boolean resourceExists(String file) {
        return AsyncApiContractTest.class.getClassLoader().getResource(EventType.SCHEMA_RESOURCE_DIR + file) != null;
    }

    private static InputStream resource(String file) {
        InputStream in = AsyncApiContractTest.class.getClassLoader()
                .getResourceAsStream(EventType.SCHEMA_RESOURCE_DIR + file);
        assertThat(in).as("classpath resource schemas/%s", file).isNotNull();
        return in;
    }
}
