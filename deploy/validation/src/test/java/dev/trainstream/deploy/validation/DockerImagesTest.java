package dev.trainstream.deploy.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainstream.engine.runtime.AllocatorTuning;
import dev.trainstream.ops.OpsEndpoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The CPU and GPU images: pinned bases, multi-stage build with the wrapper, non-root, health check on the live path. */
class DockerImagesTest {
    private static final RepositoryPaths PATHS = RepositoryPaths.locate();

    private static Dockerfile dockerfile(String name) {
        return Dockerfile.read(PATHS.dockerDir().resolve(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile", "Dockerfile.gpu"})
    void givenImage_thenEveryBaseImageIsPinnedAndTheJarIsBuiltWithTheWrapperOnTemurinJdk(String name) {
        Dockerfile file = dockerfile(name);

        assertThat(file.unpinnedBaseImages()).isEmpty();
        assertThat(file.baseImages().get(file.stageNames().indexOf("build"))).startsWith("eclipse-temurin:17").contains("-jdk");
        assertThat(file.all(file.instructions(), "RUN")).anySatisfy(run -> assertThat(run)
                .contains("./mvnw").contains("-pl services/launcher -am package").contains("trainstream.jar"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile", "Dockerfile.gpu"})
    void givenImage_thenItRunsTheTrainstreamEntrypointAsNonRootWithALiveHealthcheck(String name) {
        Dockerfile file = dockerfile(name);
        List<Dockerfile.Instruction> runtime = file.finalStage();

        assertThat(file.all(runtime, "ENTRYPOINT")).containsExactly("[\"trainstream\"]");
        assertThat(file.all(runtime, "USER")).singleElement().asString().doesNotStartWith("root").doesNotStartWith("0");
        assertThat(file.all(runtime, "HEALTHCHECK")).singleElement().asString()
                .contains("${TRAINSTREAM_HTTP_PORT}" + OpsEndpoints.LIVE);
        assertThat(file.all(runtime, "ENV")).anySatisfy(env -> assertThat(env)
                .contains("TRAINSTREAM_HTTP_PORT=" + OpsEndpoints.DEFAULT_PORT));
        assertThat(file.all(runtime, "EXPOSE")).containsExactly(String.valueOf(OpsEndpoints.DEFAULT_PORT));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile", "Dockerfile.gpu"})
    void givenImage_thenTheTrainingProcessStartsWithTheAllocatorSettingsTheBenchmarksMeasured(String name) {
        String env = String.join(" ", dockerfile(name).all(dockerfile(name).finalStage(), "ENV"));

        assertThat(env).contains(AllocatorTuning.VARIABLE + "=" + AllocatorTuning.RECOMMENDED + " ")
                .contains("THP_MEM_ALLOC_ENABLE=1");
    }

    @Test
    void givenTheLauncherScript_thenItExportsTheSameAllocatorSettingsAsTheImages() throws IOException {
        String script = Files.readString(PATHS.root().resolve("trainstream"));

        assertThat(script).contains("export " + AllocatorTuning.VARIABLE + "=\"${" + AllocatorTuning.VARIABLE + ":-"
                + AllocatorTuning.RECOMMENDED + "}\"").contains("THP_MEM_ALLOC_ENABLE:-1");
    }

    @Test
    void givenCpuImage_thenItRunsOnTheTemurinJre() {
        Dockerfile file = dockerfile("Dockerfile");
        List<String> bases = file.baseImages();

        assertThat(bases.get(bases.size() - 1)).startsWith("eclipse-temurin:17").contains("-jre");
    }

    @Test
    void givenGpuImage_thenCudaRuntimeBaseCarriesTemurinJreAndBakedLibtorchSelectedByEnvironment() {
        Dockerfile file = dockerfile("Dockerfile.gpu");
        List<String> bases = file.baseImages();
        List<Dockerfile.Instruction> runtime = file.finalStage();

        assertThat(bases.get(bases.size() - 1)).startsWith("nvidia/cuda:").contains("-runtime-");
        assertThat(file.all(runtime, "COPY")).anySatisfy(c -> assertThat(c).contains("--from=jre /opt/java/openjdk"))
                .anySatisfy(c -> assertThat(c).contains("--from=libtorch").contains("/var/cache/djl"));
        assertThat(String.join(" ", file.all(runtime, "ENV"))).contains("PYTORCH_VERSION=").contains("PYTORCH_FLAVOR=")
                .contains("DJL_CACHE_DIR=/var/cache/djl");
        assertThat(file.all(file.instructions(), "RUN")).anySatisfy(run -> assertThat(run).contains("FetchLibtorch.java"));
        assertThat(file.all(runtime, "RUN")).noneSatisfy(run -> assertThat(run).contains("FetchLibtorch"));
    }

    @Test
    void givenComposeGpuBuild_thenItsBuildArgsAreArgsOfTheGpuDockerfile() {
        ComposeService trainer = ComposeFile.load(PATHS.composeFile()).services().get("trainer");
        @SuppressWarnings("unchecked")
        Map<String, Object> args = (Map<String, Object>) ((Map<String, Object>) trainer.definition().get("build")).get("args");
        List<String> declared = dockerfile("Dockerfile.gpu").all(dockerfile("Dockerfile.gpu").instructions(), "ARG");

        assertThat(args).isNotEmpty();
        args.keySet().forEach(arg -> assertThat(declared).anySatisfy(d -> assertThat(d).startsWith(arg + "=")));
    }

    @Test
    void givenWrapperScript_thenItExecsTheJarOfflineWithJavaOpts() throws IOException {
        Path wrapper = PATHS.dockerDir().resolve("trainstream");
        String script = Files.readString(wrapper);

        assertThat(Files.isExecutable(wrapper)).isTrue();
        assertThat(script).startsWith("#!/bin/sh").contains("exec java ${JAVA_OPTS:-} -Dai.djl.offline=true -jar /opt/trainstream/trainstream.jar \"$@\"");
    }

    @Test
    void givenFloatingBaseImage_whenChecked_thenItIsReported() {
        Dockerfile planted = Dockerfile.parse("ARG JRE=eclipse-temurin:17-jre\nFROM maven:latest AS build\nFROM ${JRE}\nCOPY --from=build /a /b\n");

        assertThat(planted.unpinnedBaseImages()).containsExactly("maven:latest", "eclipse-temurin:17-jre");
    }
}
