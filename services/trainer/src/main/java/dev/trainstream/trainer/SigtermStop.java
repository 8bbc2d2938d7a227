package dev.trainstream.trainer;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns SIGTERM (Kubernetes deleting the pod, Ctrl-C) into a graceful end of a trainer run. A JVM shutdown hook asks
 * the run to stop after its current step and waits, up to the grace period, until the caller reports the run closed:
 * final checkpoint written, its event published, offsets committed, clients closed. Then it exits with status 0. A
 * run that does not close in time is abandoned (the JVM exits with the signal's status) and resumes later from its
 * previous checkpoint, losing nothing.
 *
 * <p>Exiting 0 needs {@link Runtime#halt}: a JVM ending on a signal otherwise reports 128 + signal. Halting skips the
 * shutdown hooks still running, which is why it happens only after every client of the run is closed.
 */
public final class SigtermStop {
    private static final Logger LOG = LoggerFactory.getLogger(SigtermStop.class);

    private final TrainerRun run;
    private final String runId;
    private final Duration grace;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicBoolean closedCleanly = new AtomicBoolean();
    private final Thread hook;

    private SigtermStop(TrainerRun run, String runId, Duration grace) {
        this.run = run;
        this.runId = runId;
        this.grace = grace;
        this.hook = new Thread(this::onShutdown, "trainer-sigterm");
    }

    /** Installs the hook for {@code run}; call {@link #runClosed} once the run and its clients are closed. */
    public static SigtermStop install(TrainerRun run, String runId, Duration grace) {
        if (run == null || runId == null || grace == null || grace.isNegative() || grace.isZero()) {
            throw new IllegalArgumentException("run, run id and a positive grace period must be set");
        }
        SigtermStop stop = new SigtermStop(run, runId, grace);
        Runtime.getRuntime().addShutdownHook(stop.hook);
        return stop;
    }

    /**
     * Reports that the run has ended and everything it opened is closed; {@code cleanly} is false when it ended with an
     * exception. Without a pending SIGTERM this removes the hook, so an ordinary exit keeps its own status.
     */
    public void runClosed(boolean cleanly) {
        closedCleanly.set(cleanly);
        closed.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shutdownInProgress) {
            // The JVM is already shutting down: the hook is running and decides the exit status; nothing to remove.
            LOG.debug("run {}: shutdown in progress, the SIGTERM hook decides the exit status", runId);
        }
    }

    private void onShutdown() {
        if (closed.getCount() == 0) {
            return;
        }
        LOG.warn("run {}: shutdown requested; stopping after the current step with a final checkpoint (grace {} s)",
            runId, grace.toSeconds());
        run.requestStop();
        boolean done;
        try {
            done = closed.await(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.error("run {}: interrupted while waiting for the graceful stop; it resumes from its last checkpoint",
                runId);
            return;
        }
        if (!done) {
            LOG.error("run {}: did not stop within the {} s grace period; exiting without a final checkpoint (it resumes "
                + "from the previous one)", runId, grace.toSeconds());
            return;
        }
        if (closedCleanly.get()) {
            LOG.info("run {}: stopped gracefully; exiting 0", runId);
            Runtime.getRuntime().halt(0);
        }
        LOG.error("run {}: ended with an error while stopping; exiting with the signal's status", runId);
    }
}
