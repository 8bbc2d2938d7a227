package dev.trainstream.ops;

/**
 * One condition a service needs before it can do useful work (a reachable broker, a reachable bucket, a finished
 * restore). Checks may block: they are always run on a worker thread, never on an event loop.
 */
public interface ReadinessCheck {
    /** Short name shown in the readiness response, e.g. {@code kafka}. */
    String name();

    /** Throws (with a human-readable message) when not ready. */
    void verify() throws Exception;

    /** A check from a name and a blocking probe. */
    static ReadinessCheck of(String name, Probe probe) {
        return new ReadinessCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void verify() throws Exception {
                probe.run();
            }
        };
    }

    /** A blocking probe that throws when the dependency is unavailable. */
    @FunctionalInterface
    interface Probe {
        void run() throws Exception;
    }
}
