package dev.trainstream.engine.runtime;

import ai.djl.engine.Engine;
import dev.trainstream.engine.training.EngineOptions;
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

    /** Describes the engine with {@link EngineOptions#defaults()}. */
    public static String describe() {
        return describe(EngineOptions.defaults());
    }
}
