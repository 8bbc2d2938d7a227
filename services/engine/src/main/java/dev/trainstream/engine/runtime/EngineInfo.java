package dev.trainstream.engine.runtime;

import ai.djl.engine.Engine;
import ai.djl.util.Utils;
import ai.djl.util.cuda.CudaUtils;
import dev.trainstream.engine.training.EngineOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The "doctor" line printed at start: engine, libtorch version, devices and thread counts actually in effect, and
 * whether libtorch backs large CPU tensors with transparent huge pages ({@code THP_MEM_ALLOC_ENABLE=1} in the
 * environment of the JVM; libtorch reads it once, so it cannot be switched from Java) and whether glibc malloc runs
 * with the {@link AllocatorTuning} settings.
 */
public final class EngineInfo {

    private EngineInfo() {}

    /** Describes the engine as configured by {@code options} (loads it if needed). */
    public static String describe(EngineOptions options) {
        Engine engine = EngineRuntime.configure(options);
        int gpus = engine.getGpuCount();
        return String.format(Locale.ROOT,
                "engine=%s libtorch=%s djl=%s devices=%s gpusVisible=%d intraOpThreads=%d interOpThreads=%d"
                        + " hugePageAlloc=%s malloc=%s cpus=%d java=%s os=%s/%s",
                engine.getEngineName(), engine.getVersion(), Engine.getDjlVersion(), options.devices().resolve(gpus),
                gpus, EngineRuntime.intraOpThreads(), EngineRuntime.interOpThreads(),
                "1".equals(System.getenv("THP_MEM_ALLOC_ENABLE")) ? "on" : "off", AllocatorTuning.current(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                System.getProperty("os.name"), System.getProperty("os.arch"));
    }

    /**
     * Where the loaded libtorch came from and which native files are in use: the environment's own libtorch
     * ({@code PYTORCH_LIBRARY_PATH}, with {@code PYTORCH_VERSION} / {@code PYTORCH_FLAVOR}) or the bundled one, whether
     * it is a CUDA build, the CUDA runtime version where a GPU is visible, and every libtorch / JNI / CUDA file mapped
     * into this process. Loads the engine as {@link #describe(EngineOptions)} does.
     */
    public static String describeNativeLibraries(EngineOptions options) {
        int gpus = EngineRuntime.configure(options).getGpuCount();
        StringBuilder text = new StringBuilder();
        // DJL reads these from the environment or, failing that, from system properties of the same name.
        String own = Utils.getEnvOrSystemProperty("PYTORCH_LIBRARY_PATH");
        text.append(own == null || own.isBlank()
            ? "libtorch: bundled (DJL's native jar or cache; PYTORCH_LIBRARY_PATH not set)"
            : "libtorch: PYTORCH_LIBRARY_PATH=" + own + " PYTORCH_VERSION=" + Utils.getEnvOrSystemProperty("PYTORCH_VERSION")
                + " PYTORCH_FLAVOR=" + Utils.getEnvOrSystemProperty("PYTORCH_FLAVOR"));
        List<Path> files = LoadedNativeLibraries.engineFiles();
        text.append(System.lineSeparator()).append("build: ")
            .append(LoadedNativeLibraries.cudaLibtorch(files) ? "CUDA" : "CPU only");
        if (gpus > 0) {
            text.append(", CUDA runtime ").append(CudaUtils.getCudaVersionString());
        }
        files.forEach(f -> text.append(System.lineSeparator()).append("loaded: ").append(f));
        if (files.isEmpty()) {
            text.append(System.lineSeparator()).append("loaded: (the process's library map is not readable here)");
        }
        return text.toString();
    }

    /** Describes the engine with {@link EngineOptions#defaults()}. */
    public static String describe() {
        return describe(EngineOptions.defaults());
    }
}
