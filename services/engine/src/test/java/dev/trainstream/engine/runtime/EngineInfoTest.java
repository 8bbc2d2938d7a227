package dev.trainstream.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainstream.engine.training.EngineOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The doctor line reports what is actually in effect. */
class EngineInfoTest {

    @Test
    void givenCpuWithTwoThreads_whenDescribed_thenEngineVersionDeviceAndThreadsAppear() {
        String line = EngineInfo.describe(EngineOptions.cpu(2));

        assertThat(line).contains("engine=PyTorch", "libtorch=2.", "devices=[cpu()]", "intraOpThreads=2");
        assertThat(EngineRuntime.intraOpThreads()).isEqualTo(2);
    }

    @Test
    void givenTheBundledCpuLibtorchLoaded_whenNativeLibrariesAreDescribed_thenTheFilesInUseAreNamed() {
        String text = EngineInfo.describeNativeLibraries(EngineOptions.cpu(2));

        // This machine runs the CPU libtorch from the Maven jar, with no PYTORCH_LIBRARY_PATH.
        assertThat(text).contains("libtorch: bundled", "build: CPU only");
        assertThat(text.lines().filter(l -> l.startsWith("loaded: ")))
            .anyMatch(l -> l.endsWith("libtorch_cpu.so"))
            .anyMatch(l -> l.endsWith("libdjl_torch.so"))
            .noneMatch(l -> l.contains("libtorch_cuda"));
    }

    @Test
    void givenAProcessMapOfACudaBuild_whenRead_thenItsLibtorchJniAndCudaFilesAreListedOnceInLoadOrder(
        @TempDir Path dir) throws Exception {
        Path maps = dir.resolve("maps");
        Files.writeString(maps, String.join("\n",
            "7f00-7f01 r-xp 00000000 08:01 1 /opt/torch/lib/libc10.so",
            "7f01-7f02 r-xp 00000000 08:01 2 /opt/torch/lib/libtorch_cpu.so",
            "7f02-7f03 r--p 00100000 08:01 2 /opt/torch/lib/libtorch_cpu.so",
            "7f03-7f04 r-xp 00000000 08:01 3 /opt/torch/lib/libtorch_cuda.so",
            "7f04-7f05 r-xp 00000000 08:01 4 /usr/local/cuda/lib64/libcudart.so.13",
            "7f05-7f06 r-xp 00000000 08:01 5 /root/.djl.ai/pytorch/2.11.0-cu130-linux-x86_64/0.36.0-libdjl_torch.so",
            "7f06-7f07 r-xp 00000000 08:01 6 /usr/lib/x86_64-linux-gnu/libm.so.6",
            "7f07-7f08 rw-p 00000000 00:00 0 [heap]"));

        List<Path> files = LoadedNativeLibraries.engineFiles(maps);

        assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("libc10.so",
            "libtorch_cpu.so", "libtorch_cuda.so", "libcudart.so.13", "0.36.0-libdjl_torch.so");
        assertThat(LoadedNativeLibraries.cudaLibtorch(files)).isTrue();
        assertThat(LoadedNativeLibraries.engineFiles(dir.resolve("absent"))).isEmpty();
    }
}
