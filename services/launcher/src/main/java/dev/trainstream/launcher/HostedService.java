package dev.trainstream.launcher;

import dev.trainstream.ops.lifecycle.RunningService;
import dev.trainstream.ops.lifecycle.Service;
import dev.trainstream.ops.lifecycle.ServiceFailedException;
import dev.trainstream.ops.lifecycle.ShutdownSignal;
import dev.trainstream.storage.S3Settings;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * How every {@code trainstream <service>} command runs its service, the same for all four: the service on its own
 * thread ({@link RunningService}), SIGTERM turned into a graceful stop that exits 0 ({@link ShutdownSignal}), or the
 * status the result asks for when the stop left its work unfinished (the trainer), then everything closed in reverse
 * order; the result is reported (printed) before a SIGTERM's exit. A failure of the
 * service is rethrown as its own exception, so the command line maps it to the exit code of its kind.
 */
final class HostedService {
    private HostedService() {
    }

    /**
     * Runs the service built by {@code factory} behind a {@link ServiceHost} (health and metrics on
     * {@code connection}'s HTTP interface and port; readiness includes the service's own), and reports its result.
     */
    static <R> void withOps(ConnectionOptions connection, String name, S3Settings s3,
                            Function<MeterRegistry, Service<R>> factory, Consumer<R> report) throws Exception {
        withOps(connection, name, s3, factory, report, result -> 0);
    }

    /**
     * As above; {@code exitStatus} maps the result to the command's exit status, which a SIGTERM's exit uses too.
     *
     * @return that exit status
     */
    static <R> int withOps(ConnectionOptions connection, String name, S3Settings s3,
                           Function<MeterRegistry, Service<R>> factory, Consumer<R> report,
                           ToIntFunction<R> exitStatus) throws Exception {
        AtomicReference<RunningService<R>> current = new AtomicReference<>();
        try (ServiceHost host = ServiceHost.start(name, connection.httpBind, connection.httpPort,
            connection.kafkaBootstrap, s3,
            () -> current.get() != null && current.get().ready())) {
            return host(factory.apply(host.registry()), connection.grace(), current, report, exitStatus);
        }
    }

    /** Runs a service that serves its own health endpoints (the dashboard), and reports its result. */
    static <R> void alone(Service<R> service, Duration grace, Consumer<R> report) throws Exception {
        host(service, grace, new AtomicReference<>(), report, result -> 0);
    }

    /**
     * The service on its thread until it returns; a SIGTERM meanwhile stops it, and exits with the result's status
     * (0 unless its work is unfinished) once it has closed and its result was reported (the ops server, closed after,
     * needs no grace: its sockets end with the process). Returns that status.
     */
    private static <R> int host(Service<R> service, Duration grace, AtomicReference<RunningService<R>> current,
                                Consumer<R> report, ToIntFunction<R> exitStatus) throws Exception {
        RunningService<R> running = RunningService.start(service, grace);
        current.set(running);
        ShutdownSignal signal = ShutdownSignal.install(running, grace);
        boolean cleanly = false;
        int status = 0;
        try {
            R result = awaitResult(running);
            report.accept(result);
            status = exitStatus.applyAsInt(result);
            cleanly = true;
        } finally {
            running.close();
            signal.hostClosed(cleanly, status);
        }
        return status;
    }

    /** The service's result; its failure rethrown as the exception it threw (so it maps to its exit code). */
    static <R> R awaitResult(RunningService<R> running) throws Exception {
        try {
            return running.await();
        } catch (ServiceFailedException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
