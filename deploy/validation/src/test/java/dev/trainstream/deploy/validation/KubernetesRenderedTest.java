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

/** `kubectl kustomize` renders base and every overlay; every object binds strictly and passes the workload rules. */
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
                Arguments.of("dev", PATHS.k8sOverlay("dev")), Arguments.of("sweep", PATHS.k8sOverlay("sweep")));
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
    void givenBase_thenTheTrainerIsAJobWhosePodsAreReplacedOnFailureAndWhoseSuccessIsFinal() {
        Map<String, Object> trainer = find(KustomizeRenderer.render(PATHS.k8sBase()), "Job", "trainstream-trainer");
        Map<String, Object> spec = JsonTrees.at(trainer, "spec");
        Map<String, Object> container = JsonTrees.at(spec, "template.spec.containers.0");

        assertThat(spec).containsEntry("completions", 1).containsEntry("parallelism", 1)
                .containsEntry("podReplacementPolicy", "Failed").containsKey("backoffLimit");
        assertThat(JsonTrees.at(spec, "template.spec")).containsEntry("restartPolicy", "Never");
        assertThat(JsonTrees.at(spec, "podFailurePolicy").toString())
                .as("evictions and drains do not use up the retries; invalid settings fail at once")
                .contains("action=Ignore", "DisruptionTarget", "values=[75]", "action=FailJob", "values=[2]");
        assertThat(container).containsKeys("startupProbe", "livenessProbe", "readinessProbe");
    }

    @Test
    void givenSweepOverlay_thenEveryRunIsAJobOfItsOwnWithItsOwnRunIdAndTheHyperparametersItVaries() {
        List<Object> objects = KustomizeRenderer.render(PATHS.k8sOverlay("sweep"));
        Map<String, Map<String, Object>> runs = new java.util.TreeMap<>();
        for (String suffix : List.of("", "-lr-0p05", "-lr-0p2", "-adamw")) {
            Map<String, Object> job = find(objects, "Job", "trainstream-trainer" + suffix);
            List<?> envFrom = (List<?>) JsonTrees.at(job, "spec.template.spec.containers.0").get("envFrom");
            // The last source wins: the run's own ConfigMap.
            String runConfig = String.valueOf(JsonTrees.at(envFrom.get(envFrom.size() - 1), "configMapRef").get("name"));
            runs.put("trainstream-trainer" + suffix, JsonTrees.at(find(objects, "ConfigMap", runConfig), "data"));
        }

        assertThat(runs.values()).extracting(data -> data.get("TRAINSTREAM_RUN_ID")).doesNotHaveDuplicates()
                .containsExactlyInAnyOrder("cifar10-mobilenet-v1", "cifar10-mobilenet-v1-sgd-lr0.05",
                        "cifar10-mobilenet-v1-sgd-lr0.2", "cifar10-mobilenet-v1-adamw");
        assertThat(runs.get("trainstream-trainer-lr-0p05")).containsEntry("TRAINSTREAM_LEARNING_RATE", "0.05");
        assertThat(runs.get("trainstream-trainer-lr-0p2")).containsEntry("TRAINSTREAM_LEARNING_RATE", "0.2");
        assertThat(runs.get("trainstream-trainer-adamw")).containsEntry("TRAINSTREAM_OPTIMIZER", "ADAMW");
        assertThat(objects).filteredOn(o -> "Job".equals(((Map<?, ?>) o).get("kind"))).as("4 runs and ingest").hasSize(5);
    }

    @Test
    void givenGpuOverlay_thenTrainerGetsOneGpuTheCudaImageTolerationAndNodeSelector() {
        Map<String, Object> trainer = find(KustomizeRenderer.render(PATHS.k8sOverlay("gpu")), "Job", "trainstream-trainer");
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
