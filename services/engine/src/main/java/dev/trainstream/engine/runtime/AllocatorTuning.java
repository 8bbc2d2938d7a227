package dev.trainstream.engine.runtime;

/**
 * The glibc malloc settings a training process should start with, and whether this one did.
 *
 * <p>Why: libtorch allocates every activation and gradient afresh each step. With glibc's defaults the large ones are
 * mmapped or trimmed back to the kernel when freed, so the next step page-faults them in again: measured here ~40,000
 * minor faults and 200-300 ms of system time per MobileNetV1 training step (batch 128, 2 threads), for the PyTorch
 * peer as much as for DJL. A fixed mmap threshold of 32 MiB, a trim threshold above any working set and a 256 MiB
 * top pad keep freed memory in the heap for reuse: ~200 faults and ~5 ms system time per step. The top pad matters
 * for a JVM: its main thread is not the process's first thread, so libtorch allocates from a secondary glibc arena,
 * whose heaps are trimmed and unmapped by rules the trim threshold alone does not cover (measured: 10,000 faults per
 * step without it). The cost is that the process keeps its peak working set resident (RSS flat at its peak instead
 * of breathing). glibc reads {@code GLIBC_TUNABLES} once at
 * process start, so it is set by the launcher script and the images, not from Java.
 */
public final class AllocatorTuning {

    /** The value of {@code GLIBC_TUNABLES} that the {@code trainstream} script and the images set. */
    public static final String RECOMMENDED =
            "glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=17179869184"
                    + ":glibc.malloc.top_pad=268435456";

    /** The environment variable glibc reads. */
    public static final String VARIABLE = "GLIBC_TUNABLES";

    private AllocatorTuning() {}

    /** "tuned" when this process started with exactly {@link #RECOMMENDED}, "default" without any, else "custom". */
    public static String current() {
        String value = System.getenv(VARIABLE);
        if (value == null || value.isBlank()) {
            return "default";
        }
        return value.equals(RECOMMENDED) ? "tuned" : "custom";
    }
}
