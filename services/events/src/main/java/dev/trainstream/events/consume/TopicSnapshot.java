package dev.trainstream.events.consume;

import dev.trainstream.events.TrainstreamEvent;
import dev.trainstream.events.codec.DecodedEvent;
import dev.trainstream.events.codec.EventCodec;
import dev.trainstream.events.codec.InvalidEventException;
import dev.trainstream.events.topics.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What a read-committed consumer sees of a whole topic right now: every partition from its beginning to the end it had
 * when the read started, each record decoded (so schema-validated). Fails at its deadline rather than return a short
 * list. For tools and tests that inspect a topic; services consume with {@link TypedConsumer}.
 */
public final class TopicSnapshot {
    /** Where the read stops on each partition. */
    public enum End {
        /** The last stable offset: everything committed when the read starts. */
        LAST_STABLE,
        /**
         * The high watermark: also waits for transactions that were still completing when the read started (a
         * commit's markers reach the partitions shortly after {@code commitTransaction} returns).
         */
        HIGH_WATERMARK
    }

    private TopicSnapshot() {
    }

    /**
     * Reads {@code topic} on the broker at {@code bootstrap}.
     *
     * @throws InvalidEventException  if a record is not a valid event of the topic (names topic, partition and offset)
     * @throws IllegalStateException  if the end is not reached within {@code timeout}
     */
    public static <V extends TrainstreamEvent> List<Received<V>> read(String bootstrap, Topic<V> topic, EventCodec codec,
                                                                      End end, Duration timeout)
            throws InvalidEventException {
        if (bootstrap == null || bootstrap.isBlank() || topic == null || codec == null || end == null || timeout == null
            || timeout.isNegative()) {
            throw new IllegalArgumentException("bootstrap, topic, codec, end and a non-negative timeout must be set");
        }
        List<Received<V>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties(bootstrap, IsolationLevel.READ_COMMITTED))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), timeout).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = endOffsets(bootstrap, consumer, partitions, end, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic.name() + " to " + ends + " within "
                        + timeout.toSeconds() + " s");
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    DecodedEvent<V> decoded = codec.decodeWithAttributes(topic, record);
                    out.add(new Received<>(decoded.event(), record.topic(), record.partition(), record.offset(),
                        decoded.ceId()));
                }
            }
        }
        return out;
    }

    /** The events alone; see {@link #read}. */
    public static <V extends TrainstreamEvent> List<V> events(String bootstrap, Topic<V> topic, EventCodec codec,
                                                              Duration timeout) throws InvalidEventException {
        return read(bootstrap, topic, codec, End.LAST_STABLE, timeout).stream().map(Received::event).toList();
    }

    private static Map<TopicPartition, Long> endOffsets(String bootstrap, KafkaConsumer<String, byte[]> committed,
                                                        List<TopicPartition> partitions, End end, Duration timeout) {
        if (end == End.LAST_STABLE) {
            return committed.endOffsets(partitions, timeout);
        }
        try (KafkaConsumer<String, byte[]> uncommitted = new KafkaConsumer<>(properties(bootstrap,
                IsolationLevel.READ_UNCOMMITTED))) {
            return uncommitted.endOffsets(partitions, timeout);
        }
    }

    private static Properties properties(String bootstrap, IsolationLevel isolation) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toString().toLowerCase(Locale.ROOT));
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return props;
    }
}
