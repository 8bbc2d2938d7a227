package dev.trainstream.ingest.publish;

import dev.trainstream.events.BatchReference;
import dev.trainstream.events.BatchStreamEvent;
import dev.trainstream.events.EpochCompleted;
import dev.trainstream.events.codec.EventCodec;
import dev.trainstream.events.codec.InvalidEventException;
import dev.trainstream.events.topics.Topics;
import dev.trainstream.ingest.IngestFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads which epochs of a dataset are committed on the batches topic. It reads every partition read_committed up to
 * the high watermark taken at the start, so a transaction that was still open then (another ingest mid-epoch) is
 * waited for until it commits or aborts, and an aborted epoch of a crashed ingest is never counted. Call it after
 * {@code initTransactions} of this dataset's transactional id: that aborts the crashed ingest's open epoch at once.
 */
public final class PublishedEpochsReader {
    private static final Logger LOG = LoggerFactory.getLogger(PublishedEpochsReader.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private PublishedEpochsReader() {
    }

    /**
     * @param timeout how long to wait for the topic to be readable to its end; longer than the producers'
     *                {@code transaction.timeout.ms} (60 s by default), after which the broker aborts a stuck epoch
     * @throws IngestFailure if the end is not reached in time or Kafka fails
     */
    public static PublishedEpochs read(String bootstrap, String datasetId, Duration timeout) {
        EventCodec codec = EventCodec.create("/trainstream/ingest");
        List<EpochMarker> markers = new ArrayList<>();
        OptionalInt batchSize = OptionalInt.empty();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerProperties(bootstrap))) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.BATCHES.name()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            Map<TopicPartition, Long> end = highWatermarks(bootstrap, partitions);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!reached(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IngestFailure("could not read " + Topics.BATCHES.name() + " up to " + end + " within "
                        + timeout.toSeconds() + " s (a transaction of another producer is still open at "
                        + positions(consumer, partitions) + "); nothing was published", null);
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    if (!datasetId.equals(record.key())) {
                        continue;
                    }
                    BatchStreamEvent event = decode(codec, record);
                    if (event instanceof EpochCompleted marker) {
                        markers.add(new EpochMarker(marker.epoch(), record.partition(), record.offset()));
                    } else if (event instanceof BatchReference batch) {
                        batchSize = OptionalInt.of(batch.batchSize());
                    }
                }
            }
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new IngestFailure("reading the epochs of " + datasetId + " already on " + Topics.BATCHES.name()
                + " at " + bootstrap + " failed: " + e.getMessage() + "; nothing was published", e);
        }
        return new PublishedEpochs(datasetId, markers, batchSize);
    }

    /** Invalid records are the trainers' business (they dead-letter them); here they are only skipped, with a line. */
    private static BatchStreamEvent decode(EventCodec codec, ConsumerRecord<String, byte[]> record) {
        try {
            return codec.decode(Topics.BATCHES, record);
        } catch (InvalidEventException e) {
            LOG.warn("skipping invalid record at {}-{}@{} while reading published epochs: {}", record.topic(),
                record.partition(), record.offset(), e.problem());
            return null;
        }
    }

    private static boolean reached(KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    private static Map<TopicPartition, Long> positions(KafkaConsumer<String, byte[]> consumer,
                                                       List<TopicPartition> partitions) {
        Map<TopicPartition, Long> out = new HashMap<>();
        partitions.forEach(tp -> out.put(tp, consumer.position(tp)));
        return out;
    }

    /** The uncommitted end of each partition: everything written so far, committed, aborted or still open. */
    private static Map<TopicPartition, Long> highWatermarks(String bootstrap, List<TopicPartition> partitions) {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<TopicPartition, Long> end = new HashMap<>();
            admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).all().get()
                .forEach((tp, info) -> end.put(tp, info.offset()));
            return end;
        } catch (ExecutionException e) {
            throw new IngestFailure("cannot read the end offsets of " + Topics.BATCHES.name() + " at " + bootstrap + ": "
                + e.getCause() + "; nothing was published", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IngestFailure("interrupted while reading the end offsets of " + Topics.BATCHES.name(), e);
        }
    }

    private static Properties consumerProperties(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "trainstream-ingest-epochs");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        // Only epochs whose transaction committed count; an aborted (crashed) epoch is published again.
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // No group: this reader assigns partitions itself and never commits.
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return props;
    }
}
