package dev.trainstream.deploy.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** `kubectl kustomize` renders base and both overlays; every object binds strictly and passes the workload rules. */
class KubernetesRenderedTest {
    private static final RepositoryPaths PATHS = RepositoryPaths.locate();
    private static final ServiceCatalog CATALOG = ServiceCatalog.fromLauncher();

    private static final Logger LOG = LoggerFactory.getLogger(KubernetesRenderedTest.class);
    private static final String NO_KUBECTL = "SKIPPED kustomize render checks: kubectl is not on the PATH, so the "
            + "overlays cannot be rendered here; KubernetesRawManifestsTest still validated the raw manifests with the "
            + "strict typed model.";
    private static final String NO_SCHEMAS = "SKIPPED Kubernetes JSON-schema checks: no ../shared/validation/k8s-schemas "
            + "next to the repository; CI provides them. The strict typed-model checks still ran.";

    @BeforeAll
    static void reportSkips() {
        if (KustomizeRenderer.kubectl().isEmpty()) {
            LOG.warn(NO_KUBECTL);
        } else if (PATHS.kubernetesSchemas().isEmpty()) {
            LOG.warn(NO_SCHEMAS);
        }
    }

    @BeforeEach
    void requireKubectl() {
        assumeTrue(KustomizeRenderer.kubectl().isPresent(), NO_KUBECTL);
    }

    static Stream<Arguments> kustomizations() {
        return Stream.of(Arguments.of("base", PATHS.k8sBase()), Arguments.of("gpu", PATHS.k8sOverlay("gpu")),
                Arguments.of("dev", PATHS.k8sOverlay("dev")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kustomizations")
    void givenKustomization_whenRendered_thenEveryObjectBindsToItsStrictTypedModel(String name, Path dir) {
        List<Object> objects = KustomizeRenderer.render(dir);
        List<String> violations = new ArrayList<>();
        objects.forEach(object -> violations.addAll(StrictModel.check(object)));

        assertThat(objects).isNotEmpty();
        assertThat(violations).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kustomizations")
    void givenKustomization_whenRendered_thenWorkloadsMatchTheServices(String name, Path dir) {
        assertThat(new WorkloadRules(CATALOG, Set.of()).check(KustomizeRenderer.render(dir))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kustomizations")
    void givenKustomization_whenRendered_thenEveryObjectValidatesAgainstTheSharedSchemas(String name, Path dir) {
        Path schemaRoot = PATHS.kubernetesSchemas().orElse(null);
        assumeTrue(schemaRoot != null, NO_SCHEMAS);
        KubernetesSchemas schemas = new KubernetesSchemas(schemaRoot);
        List<String> violations = new ArrayList<>();
        for (Object object : KustomizeRenderer.render(dir)) {
            JsonNode json = JsonTrees.toJson(object);
            String apiVersion = json.path("apiVersion").asText();
            String kind = json.path("kind").asText();
            String label = kind + "/" + json.path("metadata").path("name").asText();
            schemas.schemaFor(apiVersion, kind).ifPresentOrElse(
                    schema -> schema.validate(json).forEach(error -> violations.add(label + ": " + error)),
                    () -> violations.add(label + ": no schema " + KubernetesSchemas.fileName(apiVersion, kind)));
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void givenGpuOverlay_thenTrainerGetsOneGpuTheCudaImageTolerationAndNodeSelector() {
        Map<String, Object> trainer = find(KustomizeRenderer.render(PATHS.k8sOverlay("gpu")), "Deployment", "trainstream-trainer");
        Map<String, Object> pod = JsonTrees.at(trainer, "spec.template.spec");
        Map<String, Object> container = JsonTrees.at(pod, "containers.0");

        assertThat(container.get("image")).isEqualTo("trainstream-gpu:0.1.0");
        assertThat(JsonTrees.at(container, "resources.limits")).containsEntry("nvidia.com/gpu", "1");
        assertThat(pod.get("tolerations").toString()).contains("nvidia.com/gpu");
        assertThat(JsonTrees.at(pod, "nodeSelector")).containsKey("nvidia.com/gpu.present");
    }

    @Test
    void givenDevOverlay_thenStrimziKraftKafkaAndMinioStatefulSetAreWiredIntoTheServices() {
        List<Object> objects = KustomizeRenderer.render(PATHS.k8sOverlay("dev"));
        Map<String, Object> kafka = find(objects, "Kafka", "trainstream");
        Map<String, Object> pool = find(objects, "KafkaNodePool", "dual-role");
        Map<String, Object> minio = find(objects, "StatefulSet", "trainstream-minio");
        Map<String, Object> common = find(objects, "ConfigMap", "trainstream-common");

        assertThat(kafka.get("apiVersion")).isEqualTo("kafka.strimzi.io/v1");
        assertThat(pool.get("apiVersion")).isEqualTo("kafka.strimzi.io/v1");
        assertThat(JsonTrees.at(pool, "spec").get("roles")).asInstanceOf(InstanceOfAssertFactories.LIST).containsExactlyInAnyOrder("controller", "broker");
        assertThat(JsonTrees.at(pool, "metadata.labels")).containsEntry("strimzi.io/cluster", "trainstream");
        assertThat(JsonTrees.at(minio, "spec").get("volumeClaimTemplates")).asInstanceOf(InstanceOfAssertFactories.LIST).hasSize(1);
        assertThat(JsonTrees.at(common, "data"))
                .containsEntry("TRAINSTREAM_KAFKA_BOOTSTRAP", "trainstream-kafka-bootstrap:9092")
                .containsEntry("TRAINSTREAM_S3_ENDPOINT", "http://trainstream-minio:9000");
    }

    /** The rendered object of that kind whose name is the given one or starts with it plus a kustomize hash. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> find(List<Object> objects, String kind, String name) {
        for (Object object : objects) {
            Map<String, Object> map = (Map<String, Object>) object;
            String actual = String.valueOf(JsonTrees.at(map, "metadata").get("name"));
            if (kind.equals(map.get("kind")) && (actual.equals(name) || actual.matches(java.util.regex.Pattern.quote(name) + "-[a-z0-9]{10}"))) {
                return map;
            }
        }
        throw new AssertionError("no " + kind + "/" + name + " rendered");
    }
}
