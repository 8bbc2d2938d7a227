package dev.trainstream.launcher;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainstream.events.EvaluationCompleted;
import dev.trainstream.events.EvaluationFailed;
import dev.trainstream.events.EventType;
import dev.trainstream.events.MetricRecord;
import dev.trainstream.events.ModelPromoted;
import dev.trainstream.events.TrainingMetrics;
import dev.trainstream.events.TrainstreamEvent;
import dev.trainstream.events.codec.EventCodec;
import dev.trainstream.events.consume.TopicReader;
import dev.trainstream.events.topics.Topic;
import dev.trainstream.events.topics.Topics;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.kafka.common.errors.WakeupException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code trainstream tail --run ID}: follows one run's metric and evaluation events as they arrive, one line each.
 * Read-only: it reads every partition without a consumer group, so it never disturbs the services' offsets.
 */
@Command(name = "tail", mixinStandardHelpOptions = true,
    description = "Follow a run's metric and evaluation events, one line each (human-readable or --json).")
final class TailCommand implements Callable<Integer> {
    private static final List<Topic<?>> TOPICS = List.of(Topics.METRICS, Topics.EVALUATIONS);

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--run", required = true, paramLabel = "ID", description = "The run to follow.")
    String runId;

    @Option(names = "--json", description = "One JSON object per event: {\"type\": CloudEvents type, \"data\": payload}.")
    boolean json;

    @Option(names = "--from-beginning", description = "Print the run's history first (default: only new events).")
    boolean fromBeginning;

    @Option(names = "--max-events", defaultValue = "0", paramLabel = "N",
        description = "Stop after N events (0 = follow until Ctrl-C). Default: ${DEFAULT-VALUE}")
    long maxEvents;

    @Spec
    CommandSpec spec;

    private final EventCodec codec = EventCodec.create("/trainstream/cli");

    @Override
    public Integer call() {
        if (runId.isBlank()) {
            throw new IllegalArgumentException("--run must be a non-blank run id");
        }
        if (maxEvents < 0) {
            throw new IllegalArgumentException("--max-events must be >= 0, got " + maxEvents);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long[] printed = {0};
        // Every event of these topics is keyed by its run id, so other runs are skipped before decoding.
        try (TopicReader reader = TopicReader.open(connection.kafkaBootstrap, "trainstream-tail", codec,
                Duration.ofSeconds(60))) {
            Thread main = Thread.currentThread();
            Thread hook = new Thread(() -> {
                reader.wakeup();
                joinQuietly(main);
            }, "tail-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                reader.follow(TOPICS, fromBeginning, runId::equals, received -> {
                    out.println(json ? asJson(received.event()) : asText(received.event()));
                    out.flush();
                    printed[0]++;
                }, (record, problem) -> err.println("skipping invalid record at " + record.topic() + "-"
                    + record.partition() + "@" + record.offset() + ": " + TerminalText.clean(problem.problem())),
                    () -> maxEvents == 0 || printed[0] < maxEvents);
            } catch (WakeupException stopped) {
                out.flush();
            } finally {
                removeHook(hook);
            }
        }
        return 0;
    }

    private String asJson(TrainstreamEvent event) {
        ObjectNode line = codec.mapper().createObjectNode();
        line.put("type", EventType.of(event).ceType());
        line.set("data", codec.mapper().valueToTree(event));
        try {
            return codec.mapper().writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + event.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** One human-readable line; user-supplied text is cleaned of terminal control characters. */
    static String asText(TrainstreamEvent event) {
        if (event instanceof TrainingMetrics m) {
            return m.metrics().stream().collect(Collectors.groupingBy(MetricRecord::step, TreeMap::new,
                    Collectors.toList())).entrySet().stream()
                .map(e -> "step " + e.getKey() + "  " + e.getValue().stream()
                    .map(r -> TerminalText.clean(r.key()) + "=" + String.format(Locale.ROOT, "%.6g", r.value()))
                    .collect(Collectors.joining("  ")))
                .collect(Collectors.joining(System.lineSeparator()));
        }
        if (event instanceof EvaluationCompleted e) {
            return String.format(Locale.ROOT, "eval step %d  accuracy=%.2f%%  loss=%.4f  examples=%d%s  %s (%s)",
                e.step(), e.accuracy() * 100, e.meanLoss(), e.examples(),
                e.testTimeAugmentation() == null ? "" : "  tta=" + e.testTimeAugmentation(), e.gate().promoted()
                    ? "promoted" : e.gate().passed() ? "passed" : "not promoted", TerminalText.clean(e.gate().reason()));
        }
        if (event instanceof EvaluationFailed f) {
            return "eval step " + f.step() + "  FAILED: " + TerminalText.clean(f.reason());
        }
        if (event instanceof ModelPromoted p) {
            return String.format(Locale.ROOT, "best step %d  accuracy=%.2f%%  %s", p.step(), p.accuracy() * 100,
                TerminalText.clean(p.checkpointUri()));
        }
        return TerminalText.clean(event.toString());
    }

    private static void joinQuietly(Thread main) {
        try {
            main.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is shutting down: the hook already ran, which is why we are stopping.
            return;
        }
    }
}
