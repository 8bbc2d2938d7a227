package dev.trainstream.dashboard.feed;

import dev.trainstream.events.TrainstreamEvent;
import dev.trainstream.events.codec.EventCodec;
import dev.trainstream.events.codec.InvalidEventException;
import dev.trainstream.events.topics.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A one-shot read of topics from the beginning up to where they end now, for command-line snapshots. Read-only: it
 * joins no group, commits nothing and publishes no dead letters (invalid records are logged and counted).
 */
public final class EventHistory {
    private static final Logger LOG = LoggerFactory.getLogger(EventHistory.class);

    private EventHistory() {
    }

    /**
     * Feeds every valid event to {@code sink}, topic by topic, in partition order.
     *
     * @return how many records were skipped as invalid
     * @throws IllegalStateException if the topics' ends are not reached within {@code timeout} (Kafka too slow or gone)
     */
    public static long replay(String bootstrap, List<Topic<?>> topics, Duration timeout,
                              Consumer<TrainstreamEvent> sink) {
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException("bootstrap must be non-blank");
        }
        EventCodec codec = EventCodec.create("/trainstream/cli");
        long deadline = System.nanoTime() + timeout.toNanos();
        long invalid = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties(bootstrap, timeout))) {
            for (Topic<?> topic : topics) {
                invalid += replay(consumer, topic, codec, deadline, sink);
            }
        }
        return invalid;
    }

    private static long replay(KafkaConsumer<String, byte[]> consumer, Topic<?> topic, EventCodec codec,
                               long deadline, Consumer<TrainstreamEvent> sink) {
        List<TopicPartition> partitions = new ArrayList<>();
        consumer.partitionsFor(topic.name()).forEach(p -> partitions.add(new TopicPartition(topic.name(),
            p.partition())));
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        long invalid = 0;
        while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out reading " + topic.name() + " up to " + end);
            }
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                try {
                    sink.accept(codec.decode(topic, record));
                } catch (InvalidEventException e) {
                    invalid++;
                    LOG.warn("Skipping invalid record at {}-{}@{}: {}", record.topic(), record.partition(),
                        record.offset(), e.problem());
                }
            }
        }
        return invalid;
    }

    private static Properties properties(String bootstrap, Duration timeout) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "trainstream-cli");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        // Only events of committed transactions, as every service sees them.
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Bound metadata and offset look-ups so an unreachable broker fails the command instead of hanging it.
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        return props;
    }
}
