package dev.trainstream.deploy.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Always-on Compose checks (no ../shared needed): real configuration, real endpoints, pinned images, wiring. */
class ComposeRulesTest {
    private static final RepositoryPaths PATHS = RepositoryPaths.locate();
    private static final ServiceCatalog CATALOG = ServiceCatalog.fromLauncher();
    private final ComposeRules rules = new ComposeRules(CATALOG);

    private static ComposeFile gpuStack() {
        return ComposeFile.load(PATHS.composeFile());
    }

    private static ComposeFile cpuStack() {
        return gpuStack().overriddenBy(ComposeFile.load(PATHS.cpuComposeOverride()));
    }

    @Test
    void givenDefaultGpuStack_whenChecked_thenNoViolations() {
        assertThat(rules.check(gpuStack())).isEmpty();
    }

    @Test
    void givenCpuOverride_whenMerged_thenTrainerRunsCpuImageWithoutGpuReservationAndStillPasses() {
        ComposeFile cpu = cpuStack();
        ComposeService trainer = cpu.services().get("trainer");

        assertThat(rules.check(cpu)).isEmpty();
        assertThat(trainer.image()).contains("trainstream:0.1.0");
        assertThat(trainer.dockerfile()).contains("deploy/docker/Dockerfile");
        assertThat(trainer.reservedDeviceDrivers()).isEmpty();
        assertThat(trainer.environment()).containsEntry("TRAINSTREAM_DEVICE", "cpu");
    }

    @Test
    void givenEitherStack_thenTheTrainerIsRestartedOnFailureOnly_soAFinishedRunStaysFinished() {
        for (ComposeFile stack : List.of(gpuStack(), cpuStack())) {
            assertThat(stack.services().get("trainer").definition().get("restart")).asString().startsWith("on-failure");
        }
    }

    @Test
    void givenContainerCheckOverride_whenMerged_thenOnlyInfrastructureImagesPortsAndSettingsChangeAndRulesPass() {
        ComposeFile users = cpuStack();
        ComposeFile check = users.overriddenBy(ComposeFile.load(PATHS.containerCheckOverride()));

        assertThat(rules.check(check)).isEmpty();
        for (String name : List.of("kafka", "kafka-init", "minio", "minio-init")) {
            ComposeService standIn = check.services().get(name);
            ComposeService real = users.services().get(name);
            assertThat(standIn.image()).hasValueSatisfying(image -> assertThat(image).startsWith("localhost/trainstream-check/"));
            assertThat(standIn.command()).as(name).isEqualTo(real.command());
            assertThat(standIn.environment()).as(name).isEqualTo(real.environment());
            assertThat(standIn.healthcheckTest()).as(name).isEqualTo(real.healthcheckTest());
            assertThat(standIn.dependsOn()).as(name).isEqualTo(real.dependsOn());
        }
        for (String name : List.of("ingest", "trainer", "evaluator", "dashboard")) {
            assertThat(check.services().get(name).image()).isEqualTo(users.services().get(name).image());
            assertThat(check.services().get(name).healthcheckTest()).isEqualTo(users.services().get(name).healthcheckTest());
        }
    }

    @Test
    void givenStack_thenEveryTrainstreamSubcommandRunsAndWaitsForInfrastructure() {
        Map<String, ComposeService> services = gpuStack().services();
        List<String> subcommands = services.values().stream()
                .filter(s -> s.image().map(ServiceCatalog::isTrainstreamImage).orElse(false))
                .map(s -> s.command().get(0)).toList();

        assertThat(subcommands).containsExactlyInAnyOrder("ingest", "trainer", "evaluator", "dashboard");
        assertThat(services.get("dashboard").dependsOn()).containsEntry("kafka-init", "service_completed_successfully");
        for (String name : List.of("ingest", "trainer", "evaluator")) {
            assertThat(services.get(name).dependsOn())
                    .containsEntry("kafka-init", "service_completed_successfully")
                    .containsEntry("minio-init", "service_completed_successfully");
        }
        assertThat(services.get("kafka-init").dependsOn()).containsEntry("kafka", "service_healthy");
        assertThat(services.get("minio-init").dependsOn()).containsEntry("minio", "service_healthy");
        assertThat(services.get("trainer").reservedDeviceDrivers()).containsExactly("nvidia");
    }

    @Test
    void givenInfrastructure_thenHealthchecksUseTheDocumentedTools() {
        Map<String, ComposeService> services = gpuStack().services();

        assertThat(String.join(" ", services.get("kafka").healthcheckTest())).contains("kafka-broker-api-versions.sh");
        assertThat(services.get("minio").healthcheckTest()).containsExactly("CMD", "mc", "ready", "local");
        assertThat(services.get("minio").image()).contains("quay.io/minio/minio:RELEASE.2025-09-06T17-38-46Z");
        assertThat(services.get("kafka").image().orElseThrow()).matches("apache/kafka:4\\.\\d+\\.\\d+");
    }

    @Test
    void givenEnvVarNoServiceReads_whenChecked_thenViolationNamesServiceAndVariable() {
        ComposeFile planted = plant(gpuStack(), root -> JsonTrees.at(root, "services.evaluator.environment")
                .put("TRAINSTREAM_OPTIMIZER", "adamw"));

        assertThat(rules.check(planted)).containsExactly("evaluator: sets TRAINSTREAM_OPTIMIZER which 'evaluator' does not read");
    }

    @Test
    void givenMisspeltServiceAttribute_whenChecked_thenViolation() {
        ComposeFile planted = plant(gpuStack(), root -> {
            Map<String, Object> ingest = JsonTrees.at(root, "services.ingest");
            ingest.put("depend_on", ingest.remove("depends_on"));
        });

        assertThat(rules.check(planted)).containsExactly("ingest: unknown service attribute 'depend_on'");
    }

    @Test
    void givenDependsOnUnknownService_whenChecked_thenViolation() {
        ComposeFile planted = plant(gpuStack(), root -> JsonTrees.at(root, "services.trainer.depends_on")
                .put("zookeeper", Map.of("condition", "service_healthy")));

        assertThat(rules.check(planted)).containsExactly("trainer: depends_on unknown service 'zookeeper'");
    }

    @Test
    void givenFloatingImageTag_whenChecked_thenViolation() {
        ComposeFile planted = plant(gpuStack(), root -> JsonTrees.at(root, "services.kafka").put("image", "apache/kafka:latest"));

        assertThat(rules.check(planted)).containsExactly("kafka: image 'apache/kafka:latest' is not pinned to a release");
    }

    @Test
    void givenHealthcheckOnWrongPathOrPort_whenChecked_thenViolations() {
        ComposeFile planted = plant(gpuStack(), root -> {
            JsonTrees.at(root, "services.trainer.healthcheck").put("test", List.of("CMD", "curl", "-fsS", "http://127.0.0.1:8080/healthz"));
            JsonTrees.at(root, "services.evaluator.healthcheck").put("test", List.of("CMD", "curl", "-fsS", "http://127.0.0.1:9090/health/ready"));
        });

        assertThat(rules.check(planted)).containsExactlyInAnyOrder(
                "trainer: healthcheck path /healthz is neither /health/live nor /health/ready",
                "evaluator: healthcheck probes port 9090 but the service listens on 8080");
    }

    @Test
    void givenGpuDeviceWithoutReservation_whenChecked_thenViolation() {
        ComposeFile planted = plant(gpuStack(), root -> JsonTrees.at(root, "services.trainer").remove("deploy"));

        assertThat(rules.check(planted)).containsExactly(
                "trainer: TRAINSTREAM_DEVICE=gpu needs the trainstream-gpu image and an nvidia device reservation");
    }

    @Test
    void givenRequiredInterpolations_thenEnvExampleDefinesEveryVariableTheComposeFilesReference() throws IOException {
        Pattern reference = Pattern.compile("(?<!\\$)\\$\\{([A-Za-z_][A-Za-z0-9_]*)");
        String compose = Files.readString(PATHS.composeFile()) + Files.readString(PATHS.cpuComposeOverride());
        Map<String, String> example = RawManifests.envFileEntries(PATHS.envExample());
        Matcher matcher = reference.matcher(compose);
        int found = 0;
        while (matcher.find()) {
            found++;
            assertThat(example).as(".env.example must define %s", matcher.group(1)).containsKey(matcher.group(1));
        }
        assertThat(found).isPositive();
        assertThat(example).containsKeys("TRAINSTREAM_S3_ACCESS_KEY", "TRAINSTREAM_S3_SECRET_KEY");
    }

    private static ComposeFile plant(ComposeFile original, java.util.function.Consumer<Map<String, Object>> mutation) {
        Map<String, Object> copy = JsonTrees.deepCopy(original.root());
        mutation.accept(copy);
        return new ComposeFile(copy);
    }
}
