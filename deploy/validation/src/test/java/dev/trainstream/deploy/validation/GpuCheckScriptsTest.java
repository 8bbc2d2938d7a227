package dev.trainstream.deploy.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainstream.engine.runtime.AllocatorTuning;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The GPU check's committed scripts (deploy/gpu-check): the JNI bridge's build recipe and DJL's sources stay out of
 * the repository (only the git-ignored .gpu-check/ holds them), and the GPU run starts its JVMs with the allocator
 * settings every other trainstream process gets.
 */
class GpuCheckScriptsTest {

    private static final RepositoryPaths PATHS = RepositoryPaths.locate();

    private static String read(String name) throws IOException {
        return Files.readString(PATHS.root().resolve("deploy/gpu-check").resolve(name));
    }

    @Test
    void givenTheCommittedScripts_whenRead_thenNoneCompilesOrFetchesTheJniBridge() throws IOException {
        for (String name : List.of("pack.sh", "run.sh", "rehearse.sh")) {
            String script = read(name);
            assertThat(script).as(name).doesNotContainPattern("(?m)^[^#]*\\b(g\\+\\+|gcc|cmake|nvcc|ninja|javac)\\b")
                .doesNotContain("pytorch-native/src", "git archive", "deepjavalibrary/djl");
        }
        assertThat(read("run.sh")).contains("\"$pack/jni/build.sh\"");
    }

    @Test
    void givenTheGitIgnoreFile_whenRead_thenTheGpuCheckFolderIsIgnored() throws IOException {
        assertThat(Files.readAllLines(PATHS.root().resolve(".gitignore"))).contains(".gpu-check/");
    }

    @Test
    void givenTheGpuRun_whenItsEnvironmentIsRead_thenTheAllocatorSettingsAreTheShippedOnes() throws IOException {
        assertThat(read("run.sh"))
            .contains("export " + AllocatorTuning.VARIABLE + "=" + AllocatorTuning.RECOMMENDED + "\n")
            .contains("export THP_MEM_ALLOC_ENABLE=1");
    }

    @Test
    void givenThePack_whenItsClasspathIsChosen_thenTheBundledCpuLibtorchAndItsBridgeStayBehind() throws IOException {
        assertThat(read("pack.sh")).contains("-DexcludeArtifactIds=pytorch-native-cpu,pytorch-jni");
    }
}
