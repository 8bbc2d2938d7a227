package dev.trainstream.evaluator;

import dev.trainstream.events.TrainstreamEvent;
import dev.trainstream.events.codec.EventCodec;
import dev.trainstream.events.codec.InvalidEventException;
import dev.trainstream.events.consume.TopicReader;
import dev.trainstream.events.topics.Topic;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Test access to the broker: read a whole topic (schema-validated), snapshot end offsets, place a group's offsets. */
final class KafkaTopics {
    private final String bootstrap;
    private final EventCodec codec = EventCodec.create("/test");

    KafkaTopics(String bootstrap) {
        this.bootstrap = bootstrap;
    }

    /** Every event on {@code topic}, decoded against its schema, in partition order. */
    <V extends TrainstreamEvent> List<V> readAll(Topic<V> topic) {
        try {
            return TopicReader.events(bootstrap, topic, codec, Duration.ofSeconds(30));
        } catch (InvalidEventException e) {
            throw new AssertionError("event violates its schema: " + e.getMessage(), e);
        }
    }

    /** The current end offset of every partition of {@code topic}. */
    Map<TopicPartition, Long> endOffsets(Topic<?> topic) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerProperties())) {
            return new HashMap<>(consumer.endOffsets(partitions(consumer, topic)));
        }
    }

    /** Makes {@code groupId} start reading at {@code offsets} (a group that has not joined yet). */
    void placeGroup(String groupId, Map<TopicPartition, Long> offsets) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        offsets.forEach((tp, offset) -> commit.put(tp, new OffsetAndMetadata(offset)));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.alterConsumerGroupOffsets(groupId, commit).all().get();
        }
    }

    /** Whether {@code groupId} has committed the end offset of every partition of {@code topic}. */
    boolean committedToEnd(String groupId, Topic<?> topic) throws Exception {
        Map<TopicPartition, Long> end = endOffsets(topic);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                .partitionsToOffsetAndMetadata().get();
            return end.entrySet().stream().allMatch(e -> e.getValue() == 0 || (committed.get(e.getKey()) != null
                && committed.get(e.getKey()).offset() == e.getValue()));
        }
    }

    private List<TopicPartition> partitions(KafkaConsumer<String, byte[]> consumer, Topic<?> topic) {
        return consumer.partitionsFor(topic.name()).stream()
            .map(p -> new TopicPartition(topic.name(), p.partition())).toList();
    }

    private Properties consumerProperties() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return props;
    }
}
