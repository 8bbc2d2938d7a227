package dev.trainstream.ops.lifecycle;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Service} on a thread of its own: the one way the launcher, {@code up} and the tests host a service. The
 * thread runs {@link Service#run()} and then {@link Service#close()}, so clients are opened, used and closed by one
 * thread; {@link #close()} from any other thread only requests the stop and joins, never closes a client under a loop.
 */
public final class RunningService<R> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunningService.class);

    private final Service<R> service;
    private final Duration stopTimeout;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread thread;
    private volatile R result;
    private volatile Throwable failure;

    private RunningService(Service<R> service, Duration stopTimeout) {
        this.service = service;
        this.stopTimeout = stopTimeout;
        this.thread = new Thread(this::runAndClose, service.name());
        // A service that does not stop within its timeout must not keep the JVM alive once its host gives up on it.
        thread.setDaemon(true);
    }

    /**
     * Starts {@code service} on a new thread named after it.
     *
     * @param stopTimeout how long {@link #close()} waits for the service to finish its unit of work and close
     */
    public static <R> RunningService<R> start(Service<R> service, Duration stopTimeout) {
        if (service == null || stopTimeout == null || stopTimeout.isNegative() || stopTimeout.isZero()) {
            throw new IllegalArgumentException("a service and a positive stop timeout must be set");
        }
        RunningService<R> running = new RunningService<>(service, stopTimeout);
        running.thread.start();
        return running;
    }

    private void runAndClose() {
        try {
            result = service.run();
        } catch (Throwable t) {
            failure = t;
        } finally {
            try {
                service.close();
            } catch (RuntimeException e) {
                if (failure != null) {
                    failure.addSuppressed(e);
                } else {
                    failure = e;
                }
            }
            closed.countDown();
        }
    }

    /** The hosted service's name. */
    public String name() {
        return service.name();
    }

    /** True while the service runs and says it is ready. */
    public boolean ready() {
        return state() == ServiceState.RUNNING && service.ready();
    }

    /** Where the service is in its life. */
    public ServiceState state() {
        return closed.getCount() == 0 ? ServiceState.CLOSED : ServiceState.RUNNING;
    }

    /** Asks the service to finish its unit of work in hand and return; safe from any thread, idempotent. */
    public void requestStop() {
        service.requestStop();
    }

    /**
     * Waits until the service has returned and closed.
     *
     * @return its result
     * @throws ServiceFailedException if {@link Service#run()} or {@link Service#close()} threw
     */
    public R await() throws InterruptedException {
        closed.await();
        return outcome();
    }

    /** As {@link #await()}, giving up after {@code timeout}. */
    public R await(Duration timeout) throws InterruptedException, TimeoutException {
        if (!closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new TimeoutException(name() + " still running after " + timeout);
        }
        return outcome();
    }

    /** True once the service has returned (or thrown) and closed. */
    public boolean isClosed() {
        return state() == ServiceState.CLOSED;
    }

    /** The failure of a closed service, or null (still running, or succeeded). */
    public Throwable failure() {
        return isClosed() ? failure : null;
    }

    private R outcome() {
        if (failure != null) {
            throw new ServiceFailedException(name(), failure);
        }
        return result;
    }

    /**
     * Requests the stop and waits, up to the stop timeout, for the service to finish and close on its own thread. A
     * service that does not stop in time is reported and left to the JVM's exit; a failure is not rethrown here
     * ({@link #await()} reports it).
     */
    @Override
    public void close() {
        requestStop();
        try {
            if (!closed.await(stopTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.error("{} did not stop within {} s; abandoning it (its clients close with the JVM)", name(),
                    stopTimeout.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.error("interrupted while waiting for {} to stop", name());
        }
    }
}
