package dev.trainstream.examples.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A downstream consumer of Trainstream metric events in plain Java: reads trainstream.metrics.v1 (CloudEvents binary
 * mode: attributes in ce_* headers, JSON payload as the value), validates each payload against the published schema,
 * drops re-delivered samples by (runId, step, key) and prints one line per sample. Offsets are committed after
 * printing, so a crash re-delivers rather than loses (at-least-once).
 */
public final class MetricsConsumer implements AutoCloseable {
    /** The topic of metric events. */
    public static final String TOPIC = "trainstream.metrics.v1";
    /** The CloudEvents type of a metric event; other types are skipped. */
    public static final String CE_TYPE = "dev.trainstream.training-metrics.v1";

    private final KafkaConsumer<String, byte[]> consumer;
    private final MetricSchema schema;
    private final SeenSamples seen = new SeenSamples(100_000);
    private final ObjectMapper json = new ObjectMapper();
    private final PrintStream out;
    private final PrintStream err;
    private final AtomicBoolean running = new AtomicBoolean(true);

    public MetricsConsumer(String bootstrap, String groupId, MetricSchema schema, PrintStream out, PrintStream err) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        // A new group starts with the topic's history (retention: 7 days).
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // Producers of Trainstream events may be transactional: never show events of aborted transactions.
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // Commit after printing, not on a timer, so nothing is skipped on a crash.
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumer = new KafkaConsumer<>(props);
        this.schema = schema;
        this.out = out;
        this.err = err;
    }

    /**
     * Prints samples until {@link #stop()} or until {@code maxSamples} were printed (0 = no limit).
     *
     * @return how many samples were printed
     */
    public long run(long maxSamples) {
        consumer.subscribe(Set.of(TOPIC));
        long printed = 0;
        try {
            while (running.get() && (maxSamples == 0 || printed < maxSamples)) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    for (MetricSample sample : samples(record)) {
                        if (seen.firstTime(sample)) {
                            out.println(sample.render());
                            printed++;
                        }
                    }
                }
                consumer.commitSync();
            }
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
        }
        out.flush();
        return printed;
    }

    /** The valid samples of a record; an invalid record is reported on stderr and skipped. */
    List<MetricSample> samples(ConsumerRecord<String, byte[]> record) {
        String where = record.topic() + "-" + record.partition() + "@" + record.offset();
        String type = header(record, "ce_type");
        if (!CE_TYPE.equals(type)) {
            err.println("skipping " + where + ": ce_type " + type + " is not " + CE_TYPE);
            return List.of();
        }
        JsonNode payload;
        try {
            payload = json.readTree(record.value());
        } catch (IOException e) {
            err.println("skipping " + where + ": payload is not JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
            return List.of();
        }
        List<String> violations = payload == null ? List.of("empty payload") : schema.violations(payload);
        if (!violations.isEmpty()) {
            err.println("skipping " + where + ": payload violates training-metrics.v1.json: " + violations);
            return List.of();
        }
        String runId = payload.get("runId").asText();
        return payload.get("metrics").valueStream()
            .map(m -> new MetricSample(runId, m.get("key").asText(), m.get("step").asLong(), m.get("value").asDouble(),
                m.get("timestamp").asLong()))
            .toList();
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Makes {@link #run} return; safe from another thread (e.g. a shutdown hook). */
    public void stop() {
        running.set(false);
        consumer.wakeup();
    }

    @Override
    public void close() {
        consumer.close();
    }

    /** {@code java ... MetricsConsumer BOOTSTRAP [GROUP]}: prints metric samples until Ctrl-C. */
    public static void main(String[] args) throws InterruptedException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: MetricsConsumer BOOTSTRAP_SERVERS [GROUP_ID]");
            System.exit(2);
        }
        String group = args.length == 2 ? args[1] : "metrics-consumer-example";
        try (MetricsConsumer consumer = new MetricsConsumer(args[0], group, MetricSchema.fromClasspath(), System.out,
                System.err)) {
            Thread main = Thread.currentThread();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                consumer.stop();
                try {
                    main.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            consumer.run(0);
        }
    }
}
