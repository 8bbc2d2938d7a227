package dev.trainstream.ingest;

import dev.trainstream.events.BatchReference;
import dev.trainstream.events.BatchStreamEvent;
import dev.trainstream.events.EpochCompleted;
import dev.trainstream.events.codec.EventCodec;
import dev.trainstream.events.codec.InvalidEventException;
import dev.trainstream.events.topics.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** What a read-committed consumer sees of one dataset on the batches topic, with offsets (tests only). */
final class BatchTopic {
    /** One committed event of the dataset and where it is. */
    record Placed(BatchStreamEvent event, int partition, long offset) {
    }

    private BatchTopic() {
    }

    /** Every committed event of every dataset, in partition/offset order. */
    static List<BatchStreamEvent> readAll(String bootstrap) throws InvalidEventException {
        return read(bootstrap, null).stream().map(Placed::event).toList();
    }

    /** Every committed event of {@code datasetId} (null: of every dataset), in partition/offset order. */
    static List<Placed> read(String bootstrap, String datasetId) throws InvalidEventException {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        EventCodec codec = EventCodec.create("/test");
        List<Placed> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.BATCHES.name()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // Up to the high watermark, not the read-committed end: a commit's markers land on the partitions shortly
            // after commitTransaction returns, and the read waits for them instead of racing them.
            Map<TopicPartition, Long> end = highWatermarks(props, partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("batches topic not read to " + end + " within 30 s");
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (datasetId == null || datasetId.equals(record.key())) {
                        out.add(new Placed(codec.decode(Topics.BATCHES, record), record.partition(), record.offset()));
                    }
                }
            }
        }
        return out;
    }

    private static Map<TopicPartition, Long> highWatermarks(Properties props, List<TopicPartition> partitions) {
        Properties uncommitted = new Properties();
        uncommitted.putAll(props);
        uncommitted.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(uncommitted)) {
            return consumer.endOffsets(partitions);
        }
    }

    /** The epoch numbers of the committed markers, in topic order. */
    static List<Integer> markerEpochs(List<Placed> events) {
        return events.stream().filter(p -> p.event() instanceof EpochCompleted)
            .map(p -> ((EpochCompleted) p.event()).epoch()).toList();
    }

    /** The committed marker of {@code epoch}. */
    static Placed marker(List<Placed> events, int epoch) {
        return events.stream().filter(p -> p.event() instanceof EpochCompleted m && m.epoch() == epoch).reduce((a, b) -> b)
            .orElseThrow(() -> new AssertionError("no committed marker of epoch " + epoch));
    }

    /** The committed batch references of {@code epoch}, in step order. */
    static List<BatchReference> batches(List<Placed> events, int epoch) {
        return events.stream().map(Placed::event).filter(e -> e instanceof BatchReference b && b.epoch() == epoch)
            .map(BatchReference.class::cast).toList();
    }
}
