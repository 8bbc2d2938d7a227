package dev.trainstream.deploy.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Each Kubernetes validator catches a planted error: misspelt field, wrong type, variable no service reads. */
class PlantedManifestErrorsTest {
    private static final RepositoryPaths PATHS = RepositoryPaths.locate();
    private static final ServiceCatalog CATALOG = ServiceCatalog.fromLauncher();

    private static RawManifests base() {
        return RawManifests.read(PATHS.k8sBase());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> copyOf(List<Object> objects, String kind, String name) {
        return objects.stream().map(o -> (Map<String, Object>) o)
                .filter(o -> kind.equals(o.get("kind")) && name.equals(JsonTrees.at(o, "metadata").get("name")))
                .findFirst().map(JsonTrees::deepCopy).orElseThrow(() -> new AssertionError("no " + kind + "/" + name));
    }

    private static Map<String, Object> trainerWithMisspeltProbePath() {
        Map<String, Object> trainer = copyOf(base().resources(), "Job", "trainstream-trainer");
        Map<String, Object> httpGet = JsonTrees.at(trainer, "spec.template.spec.containers.0.readinessProbe.httpGet");
        httpGet.put("pth", httpGet.remove("path"));
        return trainer;
    }

    private static Map<String, Object> trainerWithTextBackoffLimit() {
        Map<String, Object> trainer = copyOf(base().resources(), "Job", "trainstream-trainer");
        JsonTrees.at(trainer, "spec").put("backoffLimit", "two");
        return trainer;
    }

    private static Map<String, Object> kafkaWithMisspeltListeners() {
        Map<String, Object> kafka = copyOf(RawManifests.read(PATHS.k8sOverlay("dev")).resources(), "Kafka", "trainstream");
        Map<String, Object> spec = JsonTrees.at(kafka, "spec.kafka");
        spec.put("listenrs", spec.remove("listeners"));
        return kafka;
    }

    @Test
    void givenMisspeltProbeField_whenBoundToTypedModel_thenUnknownFieldIsReportedWithItsPath() {
        assertThat(StrictModel.check(trainerWithMisspeltProbePath())).singleElement().asString()
                .contains("readinessProbe.httpGet").contains("unknown field(s) [pth]");
    }

    @Test
    void givenTextWhereIntegerBelongs_whenBoundToTypedModel_thenWrongTypeIsReported() {
        assertThat(StrictModel.check(trainerWithTextBackoffLimit())).singleElement().asString()
                .contains("does not bind to Job").contains("two");
    }

    @Test
    void givenMisspeltStrimziField_whenBoundToStrimziModel_thenUnknownFieldIsReported() {
        assertThat(StrictModel.check(kafkaWithMisspeltListeners())).anySatisfy(v -> assertThat(v).contains("listenrs"));
    }

    @Test
    void givenKindWithoutTypedModel_whenChecked_thenItIsRejectedRatherThanSkipped() {
        Map<String, Object> unknown = Map.of("apiVersion", "monitoring.coreos.com/v1", "kind", "ServiceMonitor",
                "metadata", Map.of("name", "trainstream"));

        assertThat(StrictModel.check(unknown)).singleElement().asString().contains("no typed model");
    }

    @Test
    void givenPlantedErrors_whenValidatedAgainstSharedSchemas_thenEachIsRejected() {
        String reason = "SKIPPED planted-error schema check: no ../shared/validation/k8s-schemas next to the repository "
                + "(CI provides them); the typed-model planted-error tests in this class still ran.";
        if (PATHS.kubernetesSchemas().isEmpty()) {
            LoggerFactory.getLogger(PlantedManifestErrorsTest.class).warn(reason);
        }
        assumeTrue(PATHS.kubernetesSchemas().isPresent(), reason);
        KubernetesSchemas schemas = new KubernetesSchemas(PATHS.kubernetesSchemas().get());
        SchemaCheck job = schemas.schemaFor("batch/v1", "Job").orElseThrow();
        SchemaCheck kafka = schemas.schemaFor("kafka.strimzi.io/v1", "Kafka").orElseThrow();

        assertThat(job.validate(JsonTrees.toJson(trainerWithMisspeltProbePath()))).anySatisfy(e -> assertThat(e).contains("pth"));
        assertThat(job.validate(JsonTrees.toJson(trainerWithTextBackoffLimit()))).anySatisfy(e -> assertThat(e).contains("backoffLimit"));
        assertThat(kafka.validate(JsonTrees.toJson(kafkaWithMisspeltListeners()))).anySatisfy(e -> assertThat(e).contains("listenrs"));
    }

    @Test
    void givenConfigMapKeyTheEvaluatorDoesNotRead_whenCrossChecked_thenViolationNamesIt() {
        RawManifests raw = base();
        List<Object> planted = new java.util.ArrayList<>(raw.resources());
        Map<String, Object> config = copyOf(planted, "ConfigMap", "trainstream-evaluator");
        JsonTrees.at(config, "data").put("TRAINSTREAM_OPTIMIZER", "adamw");
        planted.removeIf(o -> "ConfigMap".equals(((Map<?, ?>) o).get("kind"))
                && "trainstream-evaluator".equals(JsonTrees.at(o, "metadata").get("name")));
        planted.add(config);

        assertThat(new WorkloadRules(CATALOG, raw.imagesTaggedByKustomize()).check(planted)).containsExactly(
                "Deployment/trainstream-evaluator container evaluator: gets TRAINSTREAM_OPTIMIZER which 'evaluator' does not read");
    }

    @Test
    void givenWrongProbePathAndScrapePath_whenCrossChecked_thenBothAreReported() {
        RawManifests raw = base();
        List<Object> planted = new java.util.ArrayList<>(raw.resources());
        Map<String, Object> trainer = copyOf(planted, "Job", "trainstream-trainer");
        JsonTrees.at(trainer, "spec.template.spec.containers.0.livenessProbe.httpGet").put("path", "/healthz");
        JsonTrees.at(trainer, "spec.template.metadata.annotations").put("prometheus.io/path", "/prometheus");
        replace(planted, "Job", "trainstream-trainer", trainer);

        assertThat(new WorkloadRules(CATALOG, raw.imagesTaggedByKustomize()).check(planted)).hasSize(2)
                .anySatisfy(v -> assertThat(v).contains("livenessProbe must GET /health/live"))
                .anySatisfy(v -> assertThat(v).contains("prometheus.io/scrape=true, port=8080, path=/metrics"));
    }

    @Test
    void givenUntaggedInfrastructureImage_whenCrossChecked_thenItIsReportedAsUnpinned() {
        RawManifests raw = base();
        List<Object> planted = new java.util.ArrayList<>(raw.resources());
        Map<String, Object> job = copyOf(planted, "Job", "trainstream-ingest");
        JsonTrees.at(job, "spec.template.spec.initContainers.0").put("image", "apache/kafka");
        replace(planted, "Job", "trainstream-ingest", job);

        assertThat(new WorkloadRules(CATALOG, raw.imagesTaggedByKustomize()).check(planted))
                .containsExactly("Job/trainstream-ingest: container create-topics image 'apache/kafka' is not pinned");
    }

    @Test
    void givenTheTrainerAsADeployment_whenCrossChecked_thenItIsReportedAsNotAFiniteRun() {
        RawManifests raw = base();
        List<Object> planted = new java.util.ArrayList<>(raw.resources());
        Map<String, Object> job = copyOf(planted, "Job", "trainstream-trainer");
        Map<String, Object> deployment = new java.util.LinkedHashMap<>();
        deployment.put("apiVersion", "apps/v1");
        deployment.put("kind", "Deployment");
        deployment.put("metadata", job.get("metadata"));
        Map<String, Object> template = JsonTrees.at(job, "spec.template");
        JsonTrees.at(template, "spec").remove("restartPolicy");
        deployment.put("spec", Map.of("replicas", 1, "selector", Map.of("matchLabels", JsonTrees.at(template, "metadata.labels")),
                "template", template));
        replace(planted, "Job", "trainstream-trainer", deployment);

        assertThat(StrictModel.check(deployment)).isEmpty();
        assertThat(new WorkloadRules(CATALOG, raw.imagesTaggedByKustomize()).check(planted)).containsExactly(
                "Deployment/trainstream-trainer container trainer: a training run is finite, run the trainer as a Job "
                        + "(a Deployment restarts a finished run forever)");
    }

    @Test
    void givenTwoTrainerJobsOfOneRunId_whenCrossChecked_thenTheSecondIsReportedAsSharingIt() {
        RawManifests raw = base();
        List<Object> planted = new java.util.ArrayList<>(raw.resources());
        Map<String, Object> copy = copyOf(planted, "Job", "trainstream-trainer");
        JsonTrees.at(copy, "metadata").put("name", "trainstream-trainer-copy");
        planted.add(copy);

        assertThat(new WorkloadRules(CATALOG, raw.imagesTaggedByKustomize()).check(planted)).containsExactly(
                "Job/trainstream-trainer-copy: shares TRAINSTREAM_RUN_ID=cifar10-mobilenet-v1 with Job/trainstream-trainer "
                        + "(one consumer group and checkpoint folder for two runs)");
    }

    @Test
    void givenATrainerJobWithoutARunId_whenCrossChecked_thenItIsReported() {
        RawManifests raw = base();
        List<Object> planted = new java.util.ArrayList<>(raw.resources());
        Map<String, Object> run = copyOf(planted, "ConfigMap", "trainstream-run");
        JsonTrees.at(run, "data").remove("TRAINSTREAM_RUN_ID");
        replace(planted, "ConfigMap", "trainstream-run", run);

        assertThat(new WorkloadRules(CATALOG, raw.imagesTaggedByKustomize()).check(planted)).containsExactly(
                "Job/trainstream-trainer container trainer: needs TRAINSTREAM_RUN_ID, or every retry starts a new run "
                        + "instead of resuming");
    }

    private static void replace(List<Object> objects, String kind, String name, Map<String, Object> replacement) {
        objects.removeIf(o -> kind.equals(((Map<?, ?>) o).get("kind")) && name.equals(JsonTrees.at(o, "metadata").get("name")));
        objects.add(replacement);
    }
}
