package dev.trainstream.launcher;

import dev.trainstream.infra.LocalInfrastructure;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code trainstream infra}: only the embedded Kafka broker and S3 server, for running {@code ingest}, {@code trainer},
 * {@code evaluator} and {@code dashboard} as separate processes without Docker. Prints the variables and flags the
 * services need, keeps everything in the work directory across restarts, and stops on Ctrl-C or SIGTERM (exit 0).
 */
@Command(name = "infra", mixinStandardHelpOptions = true,
    description = "Run only the embedded Kafka broker and S3 server (no Docker) until Ctrl-C, on the ports the "
        + "services connect to by default; print the variables and flags the services need; keep the data in "
        + "--work-dir across restarts.")
final class InfraCommand implements Callable<Integer> {
    /** The broker's controlled shutdown and the S3 server's stop take seconds; more means something hangs. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    @Mixin
    InfraOptions options;

    @Spec
    CommandSpec spec;

    private volatile InfraService current;

    @Override
    public Integer call() throws Exception {
        LocalInfrastructure.Ports ports = options.ports();
        PrintWriter out = spec.commandLine().getOut();
        InfraService service = new InfraService(options.workDir, ports, infra -> announce(infra, out));
        current = service;
        HostedService.alone(service, STOP_TIMEOUT, nothing -> {
            out.println("infra stopped; data kept in " + options.workDir);
            out.flush();
        });
        return 0;
    }

    /** Writes the env file and prints how to reach the infrastructure. */
    private void announce(LocalInfrastructure infra, PrintWriter out) {
        InfraConnection connection = InfraConnection.of(infra);
        try {
            connection.writeEnvFile(options.workDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + options.workDir.resolve(InfraConnection.ENV_FILE), e);
        }
        connection.instructions(options.workDir).forEach(out::println);
        out.flush();
    }

    /** Makes {@link #call()} stop the servers and return, as Ctrl-C does; safe from any thread (tests). */
    void stop() {
        InfraService service = current;
        if (service != null) {
            service.requestStop();
        }
    }
}
