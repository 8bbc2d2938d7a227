package dev.trainstream.deploy.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainstream.events.topics.Topics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The topic list that compose and Kubernetes create agrees with schemas/asyncapi.yaml and the Java topic handles. */
class TopicAgreementTest {
    private static final RepositoryPaths PATHS = RepositoryPaths.locate();

    @Test
    void givenAsyncApiKafkaBindings_whenComparedWithTopicsFile_thenNamesPartitionsAndConfigsAgree() {
        Map<String, TopicSpec> contract = TopicSpec.fromAsyncApi(PATHS.asyncApi());

        assertThat(contract).isNotEmpty();
        assertThat(TopicSpec.differences(contract, TopicSpec.fromTopicsFile(PATHS.topicsFile()))).isEmpty();
    }

    @Test
    void givenJavaTopicHandles_whenComparedWithTopicsFile_thenNamesAndPartitionsAgree() {
        Map<String, Integer> java = new LinkedHashMap<>();
        Topics.all().forEach(topic -> java.put(topic.name(), topic.partitions()));
        Map<String, Integer> file = new LinkedHashMap<>();
        TopicSpec.fromTopicsFile(PATHS.topicsFile()).forEach((name, spec) -> file.put(name, spec.partitions()));

        assertThat(file).isEqualTo(java);
    }

    @Test
    void givenPlantedPartitionCount_whenCompared_thenDifferenceIsReported() {
        Map<String, TopicSpec> contract = TopicSpec.fromAsyncApi(PATHS.asyncApi());
        Map<String, TopicSpec> planted = new LinkedHashMap<>(TopicSpec.fromTopicsFile(PATHS.topicsFile()));
        TopicSpec metrics = planted.get("trainstream.metrics.v1");
        planted.put(metrics.name(), new TopicSpec(metrics.name(), 6, metrics.configs()));
        planted.remove("trainstream.deadletter.v1");

        assertThat(TopicSpec.differences(contract, planted)).hasSize(2)
                .anySatisfy(d -> assertThat(d).startsWith("topic trainstream.metrics.v1: expected"))
                .contains("missing topic trainstream.deadletter.v1");
    }

    @Test
    void givenComposeStack_thenKafkaInitRunsTheSharedTopicScriptAgainstTheInternalListener() {
        ComposeService init = ComposeFile.load(PATHS.composeFile()).services().get("kafka-init");

        assertThat(init.definition().get("volumes").toString()).contains("./deploy/k8s/base/topics:/etc/trainstream/topics");
        assertThat(init.definition().get("entrypoint").toString()).contains("/etc/trainstream/topics/create-topics.sh");
        assertThat(init.environment()).containsEntry("TOPICS_BOOTSTRAP_SERVER", "kafka:9092");
    }

    @Test
    void givenBaseConfig_thenProductionReplicationMatchesAsyncApi() {
        List<Integer> replicas = TopicSpec.replicasInAsyncApi(PATHS.asyncApi());
        String configured = RawManifests.envFileEntries(PATHS.k8sBase().resolve("config/common.env"))
                .get("TRAINSTREAM_TOPIC_REPLICATION");

        assertThat(replicas).isNotEmpty().allSatisfy(r -> assertThat(String.valueOf(r)).isEqualTo(configured));
    }
}
