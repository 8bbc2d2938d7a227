package dev.trainstream.launcher;

import dev.trainstream.dashboard.Dashboard;
import dev.trainstream.dashboard.DashboardConfig;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code trainstream dashboard}: the live web dashboard (pages, REST, SSE, health and metrics on one port). */
@Command(name = "dashboard", mixinStandardHelpOptions = true,
    description = "Serve the live dashboard of all runs (replays the metric, checkpoint, evaluation and run topics; "
        + "pages, /api, /openapi.yaml, /health and /metrics on --http-port) until stopped.")
final class DashboardCommand implements Callable<Integer> {
    @Mixin
    ConnectionOptions connection;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "${env:TRAINSTREAM_DASHBOARD_BIND:-0.0.0.0}",
        description = "Interface to listen on (127.0.0.1 keeps it on this machine). Env: TRAINSTREAM_DASHBOARD_BIND. "
            + "Default: ${DEFAULT-VALUE}")
    String bind;

    @Spec
    CommandSpec spec;

    private final CountDownLatch stopped = new CountDownLatch(1);

    @Override
    public Integer call() throws InterruptedException {
        DashboardConfig config = DashboardConfig.builder().kafkaBootstrap(connection.kafkaBootstrap).optHost(bind)
            .optPort(connection.httpPort).optTopicReplication(connection.topicReplication).build();
        try (Dashboard dashboard = Dashboard.start(config)) {
            Thread hook = new Thread(this::stop, "dashboard-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            spec.commandLine().getOut().println("dashboard at " + dashboard.url() + " (listening on " + bind + ":"
                + dashboard.port() + ", Kafka " + connection.kafkaBootstrap + "); stop with Ctrl-C");
            spec.commandLine().getOut().flush();
            try {
                stopped.await();
            } finally {
                removeHook(hook);
            }
        }
        return 0;
    }

    /** Makes {@link #call()} close the dashboard and return; safe from any thread. */
    void stop() {
        stopped.countDown();
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is shutting down: the hook already ran, which is why we are closing.
            return;
        }
    }
}
