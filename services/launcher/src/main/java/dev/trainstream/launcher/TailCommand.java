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
import dev.trainstream.events.codec.InvalidEventException;
import dev.trainstream.events.topics.Topic;
import dev.trainstream.events.topics.Topics;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
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
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties())) {
            Thread main = Thread.currentThread();
            Thread hook = new Thread(() -> {
                consumer.wakeup();
                joinQuietly(main);
            }, "tail-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                follow(consumer, out);
            } catch (WakeupException stopped) {
                out.flush();
            } finally {
                removeHook(hook);
            }
        }
        return 0;
    }

    private void follow(KafkaConsumer<String, byte[]> consumer, PrintWriter out) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (Topic<?> topic : TOPICS) {
            consumer.partitionsFor(topic.name()).forEach(p -> partitions.add(new TopicPartition(topic.name(),
                p.partition())));
        }
        consumer.assign(partitions);
        if (fromBeginning) {
            consumer.seekToBeginning(partitions);
        } else {
            consumer.seekToEnd(partitions);
            // Seeks are lazy: resolve the end now, so events published from here on are not skipped.
            partitions.forEach(consumer::position);
        }
        long printed = 0;
        while (maxEvents == 0 || printed < maxEvents) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                // Every event of these topics is keyed by its run id, so other runs are skipped before decoding.
                if (!runId.equals(record.key()) || (maxEvents > 0 && printed >= maxEvents)) {
                    continue;
                }
                java.util.Optional<TrainstreamEvent> event = decode(record);
                if (event.isPresent()) {
                    out.println(json ? asJson(event.get()) : asText(event.get()));
                    out.flush();
                    printed++;
                }
            }
        }
    }

    private java.util.Optional<TrainstreamEvent> decode(ConsumerRecord<String, byte[]> record) {
        Topic<?> topic = Topics.byName(record.topic()).orElseThrow();
        try {
            return java.util.Optional.of(codec.decode(topic, record));
        } catch (InvalidEventException e) {
            spec.commandLine().getErr().println("skipping invalid record at " + record.topic() + "-"
                + record.partition() + "@" + record.offset() + ": " + TerminalText.clean(e.problem()));
            return java.util.Optional.empty();
        }
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
            return m.metrics().stream().collect(Collectors.groupingBy(MetricRecord::step, java.util.TreeMap::new,
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

    private Properties properties() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, connection.kafkaBootstrap);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "trainstream-tail");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return props;
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
