package dev.trainstream.ops.lifecycle;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns SIGTERM (Kubernetes deleting the pod, {@code docker stop}, Ctrl-C) into a graceful stop of one hosted service,
 * the same for every service. A JVM shutdown hook asks the service to stop after its unit of work and waits, up to the
 * grace period, until the host reports everything closed ({@link #hostClosed}); then it exits 0, or the status the
 * host reports for a stop that left the service's work unfinished (a trainer's run: 75, so a Kubernetes Job or a
 * compose restart policy starts it again and it resumes). A service that does not close in time is abandoned (the JVM exits with the signal's status, 143) and its work resumes from what it
 * committed, losing nothing.
 *
 * <p>Exiting 0 needs {@link Runtime#halt}: a JVM ending on a signal otherwise reports 128 + signal. Halting skips the
 * shutdown hooks still running, which is why it happens only after every client of the service is closed.
 */
public final class ShutdownSignal {
    private static final Logger LOG = LoggerFactory.getLogger(ShutdownSignal.class);

    private final RunningService<?> service;
    private final Duration grace;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicBoolean closedCleanly = new AtomicBoolean();
    private final AtomicInteger stoppedStatus = new AtomicInteger();
    private final Thread hook;

    private ShutdownSignal(RunningService<?> service, Duration grace) {
        this.service = service;
        this.grace = grace;
        this.hook = new Thread(this::onShutdown, service.name() + "-sigterm");
    }

    /** Installs the hook for {@code service}; the host calls {@link #hostClosed} once it has closed everything. */
    public static ShutdownSignal install(RunningService<?> service, Duration grace) {
        if (service == null || grace == null || grace.isNegative() || grace.isZero()) {
            throw new IllegalArgumentException("a service and a positive grace period must be set");
        }
        ShutdownSignal signal = new ShutdownSignal(service, grace);
        Runtime.getRuntime().addShutdownHook(signal.hook);
        return signal;
    }

    /**
     * Reports that the service and its host have closed; {@code cleanly} is false when the service failed. Without a
     * pending SIGTERM this removes the hook, so an ordinary exit keeps its own status.
     */
    public void hostClosed(boolean cleanly) {
        hostClosed(cleanly, 0);
    }

    /**
     * As {@link #hostClosed(boolean)}; a pending SIGTERM whose stop closed cleanly exits with {@code stoppedStatus}
     * (0, or non-zero when the stop left work unfinished that a restart resumes).
     */
    public void hostClosed(boolean cleanly, int stoppedStatus) {
        this.stoppedStatus.set(stoppedStatus);
        closedCleanly.set(cleanly);
        closed.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shutdownInProgress) {
            // The JVM is already shutting down: the hook is running and decides the exit status; nothing to remove.
            LOG.debug("{}: shutdown in progress, the SIGTERM hook decides the exit status", service.name());
        }
    }

    private void onShutdown() {
        if (closed.getCount() == 0) {
            return;
        }
        LOG.warn("{}: shutdown requested; finishing the work in hand (grace {} s)", service.name(), grace.toSeconds());
        service.requestStop();
        boolean done;
        try {
            done = closed.await(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.error("{}: interrupted while waiting for the graceful stop", service.name());
            return;
        }
        if (!done) {
            LOG.error("{}: did not stop within the {} s grace period; exiting without finishing (work resumes from what "
                + "was committed)", service.name(), grace.toSeconds());
            return;
        }
        if (closedCleanly.get()) {
            int status = stoppedStatus.get();
            LOG.info("{}: stopped gracefully; exiting {}{}", service.name(), status,
                status == 0 ? "" : " (its work is unfinished; starting it again resumes it)");
            Runtime.getRuntime().halt(status);
        }
        Throwable failure = service.failure();
        LOG.error("{}: ended with an error while stopping ({}); exiting with the signal's status", service.name(),
            failure == null ? "its host failed to close" : failure.toString(), failure);
    }
}
