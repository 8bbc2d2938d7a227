package dev.trainstream.ops.lifecycle;

/**
 * The one shape every Trainstream service has (ingest, trainer, evaluator, dashboard), so the launcher, {@code up} and
 * the tests start, stop and close them the same way through {@link RunningService}.
 *
 * <p>Contract: {@link #run()} is called once, on the thread that owns the service's clients; it opens them, works until
 * the work is done or a stop was requested, and returns the service's typed result. {@link #close()} is called
 * afterwards on the same thread, whether {@code run} returned or threw, so no client is ever closed under a running
 * loop. {@link #requestStop()} and {@link #ready()} may be called from any thread at any time.
 *
 * @param <R> what a finished run reports (a summary; {@link Void} for services that only serve)
 */
public interface Service<R> extends AutoCloseable {

    /** A short name for threads, logs and health checks, e.g. {@code trainer}. */
    String name();

    /**
     * Opens the service's clients and does its work until done or stopped; on a stop request it finishes the unit of
     * work in hand (a step and its checkpoint, the evaluation in hand, the epoch being published) before returning.
     */
    R run() throws Exception;

    /** True while the service is connected, restored and doing its work (readiness probes ask this). */
    boolean ready();

    /** Asks {@link #run()} to return after the unit of work in hand; wakes any blocking poll. Idempotent, thread-safe. */
    void requestStop();

    /** Releases every client in reverse order of opening; called once on the thread that ran {@link #run()}. */
    @Override
    void close();
}
