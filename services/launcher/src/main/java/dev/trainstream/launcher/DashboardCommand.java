package dev.trainstream.launcher;

import dev.trainstream.dashboard.DashboardConfig;
import dev.trainstream.dashboard.DashboardService;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code trainstream dashboard}: the live web dashboard (pages, REST, SSE, health and metrics on one port). */
@Command(name = "dashboard", mixinStandardHelpOptions = true,
    description = "Serve the live dashboard of all runs (replays the metric, checkpoint, evaluation and run topics; "
        + "pages, /api, /openapi.yaml, /health and /metrics on --http-port) until stopped.")
final class DashboardCommand implements Callable<Integer> {
    @Mixin
    ConnectionOptions connection;

    @Mixin
    DashboardOptions options;

    @Spec
    CommandSpec spec;

    private volatile DashboardService current;

    @Override
    public Integer call() throws Exception {
        DashboardConfig config = DashboardConfig.builder().kafkaBootstrap(connection.kafkaBootstrap)
            .optHost(connection.httpBind).optPort(connection.httpPort).optTopicReplication(connection.topicReplication)
            .optToken(options.token).optMaxLiveStreams(options.maxLiveStreams).build();
        // SIGTERM: stop serving, close the feed's consumer and the HTTP server, then exit 0 within the grace period.
        DashboardService service = new DashboardService(config, dashboard -> {
            spec.commandLine().getOut().println("dashboard at " + dashboard.url() + " (listening on " + connection.httpBind
                + ":" + dashboard.port() + ", Kafka " + connection.kafkaBootstrap
                + (options.token == null ? "" : "; open it once with ?token=<your token>") + "); stop with Ctrl-C");
            spec.commandLine().getOut().flush();
        });
        current = service;
        HostedService.alone(service, connection.grace(), nothing -> { });
        return 0;
    }

    /** Makes {@link #call()} close the dashboard and return, as SIGTERM does; safe from any thread. */
    void stop() {
        DashboardService service = current;
        if (service != null) {
            service.requestStop();
        }
    }
}
