package dev.trainstream.launcher;

import dev.trainstream.dashboard.feed.EventFeed;
import dev.trainstream.dashboard.view.RunRegistry;
import dev.trainstream.dashboard.view.RunSummary;
import dev.trainstream.dashboard.view.ViewLimits;
import dev.trainstream.events.TrainstreamEvent;
import dev.trainstream.events.codec.EventCodec;
import dev.trainstream.events.consume.TopicReader;
import dev.trainstream.events.topics.Topic;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code trainstream runs}: a table of every run on the topics, built the way the dashboard builds its runs list. */
@Command(name = "runs", mixinStandardHelpOptions = true,
    description = "List runs (status, dataset, steps, best test accuracy, last update) from the Kafka topics.")
final class RunsCommand implements Callable<Integer> {
    static final String FORMAT = "%-36s %-9s %-20s %8s %9s %-20s %s%n";

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--timeout-seconds", defaultValue = "30",
        description = "How long reading the topics may take. Default: ${DEFAULT-VALUE}")
    long timeoutSeconds;

    @Spec
    CommandSpec spec;

    private static final Logger LOG = LoggerFactory.getLogger(RunsCommand.class);

    @Override
    public Integer call() {
        RunRegistry registry = new RunRegistry(ViewLimits.DEFAULT);
        long invalid = replay(registry, Duration.ofSeconds(timeoutSeconds));
        PrintWriter out = spec.commandLine().getOut();
        List<RunSummary> runs = registry.summaries();
        out.printf(Locale.ROOT, FORMAT, "RUN", "STATUS", "DATASET", "STEPS", "BEST ACC", "LAST UPDATE", "CONFIG");
        for (RunSummary run : runs) {
            out.printf(Locale.ROOT, FORMAT, TerminalText.clean(run.runId()), run.status().label(),
                TerminalText.clean(run.datasetId()), run.steps(),
                run.bestAccuracy() == null ? "-" : String.format(Locale.ROOT, "%.2f%%", run.bestAccuracy() * 100),
                run.lastUpdate().equals(Instant.EPOCH) ? "-" : run.lastUpdate().truncatedTo(ChronoUnit.SECONDS),
                TerminalText.clean(run.configSummary()));
        }
        out.println(runs.size() + (runs.size() == 1 ? " run" : " runs")
            + (invalid > 0 ? " (" + invalid + " invalid records skipped)" : ""));
        out.flush();
        return 0;
    }

    /** Reads each dashboard topic to its end within one deadline; returns how many invalid records were skipped. */
    private long replay(RunRegistry registry, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long invalid = 0;
        try (TopicReader reader = TopicReader.open(connection.kafkaBootstrap, "trainstream-runs",
                EventCodec.create("/trainstream/cli"), timeout)) {
            for (Topic<?> topic : EventFeed.TOPICS) {
                invalid += replay(reader, topic, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())), registry);
            }
        }
        return invalid;
    }

    private static <V extends TrainstreamEvent> long replay(TopicReader reader, Topic<V> topic, Duration left,
                                                            RunRegistry registry) {
        return reader.replay(topic, TopicReader.End.LAST_STABLE, left, key -> true,
            received -> registry.apply(received.event()), TopicReader.InvalidRecords.logged(LOG));
    }
}
