package dev.trainstream.engine.training;

/**
 * How the engine runs: intra-op threads and devices. Inter-op threads come from the system property
 * {@code ai.djl.pytorch.num_interop_threads}, which libtorch only honours before the engine loads.
 *
 * @param threads libtorch intra-op threads (0 = libtorch's default, one per physical core)
 * @param devices device selection
 */
public record EngineOptions(int threads, DeviceChoice devices) {

    /** Validates the settings. */
    public EngineOptions {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0, got " + threads);
        }
        if (devices == null) {
            throw new IllegalArgumentException("devices must be set");
        }
    }

    /** One intra-op thread per available processor; all GPUs when present, else the CPU. */
    public static EngineOptions defaults() {
        return new EngineOptions(Runtime.getRuntime().availableProcessors(), DeviceChoice.auto());
    }

    /** CPU only with {@code threads} intra-op threads (tests and benchmarks). */
    public static EngineOptions cpu(int threads) {
        return new EngineOptions(threads, DeviceChoice.cpu());
    }
}
