package dev.trainstream.engine.runtime;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import dev.trainstream.engine.training.EngineOptions;

/**
 * Loads the PyTorch engine with the requested thread counts and controls libtorch's thread-local gradient mode.
 *
 * <p>Thread counts: libtorch reads {@code ai.djl.pytorch.num_threads} and {@code ai.djl.pytorch.num_interop_threads}
 * once, when DJL loads the engine; {@link #configure} sets the intra-op property if the engine is not yet loaded
 * and then sets the intra-op count directly (which libtorch allows at any time). Inter-op threads can only be set
 * with the system property before the first engine use (e.g. {@code -Dai.djl.pytorch.num_interop_threads=1}).
 */
public final class EngineRuntime {

    private static final String ENGINE = "PyTorch";
    private static final String THREADS_PROPERTY = "ai.djl.pytorch.num_threads";

    private EngineRuntime() {}

    /** Loads (once) and returns the PyTorch engine with {@code options.threads()} intra-op threads. */
    public static synchronized Engine configure(EngineOptions options) {
        if (options.threads() > 0 && System.getProperty(THREADS_PROPERTY) == null) {
            System.setProperty(THREADS_PROPERTY, Integer.toString(options.threads()));
        }
        Engine engine = Engine.getEngine(ENGINE);
        if (options.threads() > 0 && JniUtils.getNumThreads() != options.threads()) {
            JniUtils.setNumThreads(options.threads());
        }
        return engine;
    }

    /**
     * Sets libtorch's gradient mode on the calling thread. It is thread-local: DJL only disables it on the thread
     * that loaded the engine, and a closed GradientCollector restores the mode it found, so the training and
     * evaluation paths set it explicitly.
     */
    public static void gradientMode(boolean enabled) {
        JniUtils.setGradMode(enabled);
    }

    /** Current intra-op thread count. */
    public static int intraOpThreads() {
        return JniUtils.getNumThreads();
    }

    /** Current inter-op thread count. */
    public static int interOpThreads() {
        return JniUtils.getNumInteropThreads();
    }
}
