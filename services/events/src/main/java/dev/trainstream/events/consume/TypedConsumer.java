package dev.trainstream.events.consume;

import dev.trainstream.events.TrainstreamEvent;
import dev.trainstream.events.clients.KafkaClients;
import dev.trainstream.events.codec.DecodedEvent;
import dev.trainstream.events.codec.EventCodec;
import dev.trainstream.events.codec.InvalidEventException;
import dev.trainstream.events.produce.DeadLetters;
import dev.trainstream.events.topics.Topic;
import dev.trainstream.events.topics.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls a typed topic; invalid records are logged (topic/partition/offset + reason) and published to DEAD_LETTERS,
 * then skipped. Partitions are named by number within the topic; offsets are not auto-committed: {@link #commit} after
 * the effect (at-least-once). Services never touch the Kafka consumer underneath.
 * <p>Over our usual ~250 lines on purpose: it is the only face of a Kafka consumer the services see (poll and
 * validate, dead-letter, commit, seek, lag, keep-alive), so the raw client never leaks into them.
 */
public final class TypedConsumer<V extends TrainstreamEvent> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TypedConsumer.class);

    private final Topic<V> topic;
    private final EventCodec codec;
    private final DeadLetters deadLetters;
    private final KafkaConsumer<String, byte[]> consumer;

    private TypedConsumer(Builder<V> builder, KafkaConsumer<String, byte[]> consumer) {
        this.topic = builder.topic;
        this.codec = builder.codec;
        this.deadLetters = builder.deadLetters;
        this.consumer = consumer;
    }

    /** Starts configuring a consumer of the topic. */
    public static <V extends TrainstreamEvent> Builder<V> builder(Topic<V> topic) {
        if (topic == null) {
            throw new IllegalArgumentException("topic must not be null");
        }
        return new Builder<>(topic);
    }

    /**
     * Polls once. Invalid records are dead-lettered synchronously before this returns.
     *
     * @return the valid events, in partition order
     * @throws dev.trainstream.events.produce.PublishException if a dead letter could not be published (stop and restart
     *                                                         from committed offsets rather than lose the record)
     * @throws org.apache.kafka.common.errors.WakeupException   after {@link #wakeup()}
     */
    public List<Received<V>> poll(Duration timeout) {
        ConsumerRecords<String, byte[]> records = consumer.poll(timeout);
        List<Received<V>> valid = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                DecodedEvent<V> decoded = codec.decodeWithAttributes(topic, record);
                valid.add(new Received<>(decoded.event(), record.topic(), record.partition(), record.offset(),
                        decoded.ceId()));
            } catch (InvalidEventException e) {
                reject(record, e);
            }
        }
        return valid;
    }

    private void reject(ConsumerRecord<String, byte[]> record, InvalidEventException e) {
        if (topic.name().equals(Topics.DEAD_LETTERS.name())) {
            // Re-dead-lettering a bad dead letter would feed it back to ourselves forever.
            LOG.warn("Skipping invalid dead letter at {}-{}@{}: {}", record.topic(), record.partition(),
                    record.offset(), e.problem());
            return;
        }
        LOG.warn("Dead-lettering invalid record at {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                e.problem());
        deadLetters.reject(record, e.problem());
        rejected++;
    }

    /** How many invalid records this consumer has dead-lettered so far (for run summaries and metrics). */
    public long rejected() {
        return rejected;
    }

    private long rejected;

    /** The topic this consumer reads. */
    public Topic<V> topic() {
        return topic;
    }

    /** Assigns every partition of the topic to this consumer (no group rebalancing); returns them, sorted. */
    public List<Integer> assignAll() {
        List<Integer> partitions = consumer.partitionsFor(topic.name()).stream().map(PartitionInfo::partition).sorted()
            .toList();
        consumer.assign(partitions.stream().map(this::partition).toList());
        return partitions;
    }

    /** The partitions this consumer holds now (assigned, or given to it by its group). */
    public Set<Integer> assignment() {
        Set<Integer> out = new TreeSet<>();
        consumer.assignment().forEach(tp -> out.add(tp.partition()));
        return out;
    }

    /**
     * Tells the group this consumer is alive without taking records: a poll with every held partition paused. Call it
     * between long units of work (a checkpoint's scoring) so {@code max.poll.interval.ms} bounds one unit, not a
     * whole poll's worth; a rebalance it takes part in shows in {@link #assignment()} afterwards, so the caller can
     * drop work for partitions it no longer holds. Positions do not move: no record is skipped or returned twice.
     */
    public void keepAlive() {
        Set<TopicPartition> held = Set.copyOf(consumer.assignment());
        consumer.pause(held);
        try {
            ConsumerRecords<String, byte[]> stray = consumer.poll(Duration.ZERO);
            // Only partitions newly assigned in this poll could answer; put them back to be read by the next poll.
            for (TopicPartition tp : stray.partitions()) {
                consumer.seek(tp, stray.records(tp).get(0).offset());
            }
        } finally {
            consumer.resume(consumer.assignment().stream().filter(held::contains).toList());
        }
    }

    /** The next poll reads {@code partitions} from their beginning. */
    public void seekToBeginning(Collection<Integer> partitions) {
        consumer.seekToBeginning(partitions.stream().map(this::partition).toList());
    }

    /** The next poll reads {@code partition} from {@code offset}. */
    public void seek(int partition, long offset) {
        consumer.seek(partition(partition), offset);
    }

    /** The offset of the next record this consumer will read from {@code partition}. */
    public long position(int partition) {
        return consumer.position(partition(partition));
    }

    /** The end (last stable offset, for read_committed) of each assigned partition, asked of the broker. */
    public Map<Integer, Long> endOffsets() {
        Map<Integer, Long> out = new TreeMap<>();
        consumer.endOffsets(consumer.assignment()).forEach((tp, end) -> out.put(tp.partition(), end));
        return out;
    }

    /** True once every assigned partition named in {@code ends} has been read up to its end there. */
    public boolean reached(Map<Integer, Long> ends) {
        Set<Integer> held = assignment();
        return ends.entrySet().stream().noneMatch(e -> held.contains(e.getKey()) && position(e.getKey()) < e.getValue());
    }

    /** Records on the broker past this consumer's positions, asked of the broker now. */
    public long backlog() {
        long behind = 0;
        for (Map.Entry<Integer, Long> end : endOffsets().entrySet()) {
            behind += Math.max(0, end.getValue() - position(end.getKey()));
        }
        return behind;
    }

    /** Records past this consumer's positions as its last fetches saw them (no broker call; 0 where unknown). */
    public long knownLag() {
        long lag = 0;
        for (TopicPartition tp : consumer.assignment()) {
            lag += consumer.currentLag(tp).orElse(0);
        }
        return lag;
    }

    /**
     * Commits {@code nextOffsets} (partition to the offset of the next record to read) synchronously, each with
     * {@code metadata} (e.g. a {@link CommitStamp}; null for none). A stop that woke the consumer while no poll ran
     * does not lose the commit: the wake-up is spent and the commit is sent again.
     *
     * @throws org.apache.kafka.clients.consumer.CommitFailedException if the group moved the partitions away
     * @throws org.apache.kafka.common.errors.RetriableException       if the broker could not take it now
     */
    public void commit(Map<Integer, Long> nextOffsets, String metadata) {
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        nextOffsets.forEach((p, offset) -> commit.put(partition(p), new OffsetAndMetadata(offset, metadata)));
        try {
            consumer.commitSync(commit);
        } catch (WakeupException stopRequested) {
            consumer.commitSync(commit);
        }
    }

    private TopicPartition partition(int partition) {
        return new TopicPartition(topic.name(), partition);
    }

    /** Makes a blocked or the next {@link #poll} throw WakeupException; safe from another thread. */
    public void wakeup() {
        consumer.wakeup();
    }

    /** Closes the Kafka consumer (the dead letter publisher belongs to the caller). */
    @Override
    public void close() {
        consumer.close();
    }

    /** Settings of a {@link TypedConsumer}; required: bootstrap, groupId, codec, deadLetters. */
    public static final class Builder<V extends TrainstreamEvent> {
        private final Topic<V> topic;
        private String bootstrap;
        private String groupId;
        private String clientId;
        private EventCodec codec;
        private DeadLetters deadLetters;
        // New groups start at the end by default: a service normally cares about what happens from now on.
        private boolean fromBeginning = false;
        // Only see events of committed transactions (ingest publishes batches transactionally).
        private boolean isolationReadCommitted = true;
        // Subscribe to the topic on build; false leaves assignment to the caller (assignAll + seek).
        private boolean subscribe = true;
        private Properties extra = new Properties();

        private Builder(Topic<V> topic) {
            this.topic = topic;
        }

        /** Kafka bootstrap servers (required). */
        public Builder<V> bootstrap(String bootstrap) {
            this.bootstrap = bootstrap;
            return this;
        }

        /** Consumer group id (required). */
        public Builder<V> groupId(String groupId) {
            this.groupId = groupId;
            return this;
        }

        /** Client id (optional; defaults to groupId). */
        public Builder<V> clientId(String clientId) {
            this.clientId = clientId;
            return this;
        }

        /** Codec used to decode and validate (required). */
        public Builder<V> codec(EventCodec codec) {
            this.codec = codec;
            return this;
        }

        /** Where invalid records go (required; owned and closed by the caller). */
        public Builder<V> deadLetters(DeadLetters deadLetters) {
            this.deadLetters = deadLetters;
            return this;
        }

        /** auto.offset.reset earliest (true) vs latest (false, default) for a group without committed offsets. */
        public Builder<V> fromBeginning(boolean fromBeginning) {
            this.fromBeginning = fromBeginning;
            return this;
        }

        /** isolation.level read_committed (true, default) vs read_uncommitted. */
        public Builder<V> isolationReadCommitted(boolean readCommitted) {
            this.isolationReadCommitted = readCommitted;
            return this;
        }

        /** Subscribe to the topic on build (true, default); false to assign partitions with {@link #assignAll()}. */
        public Builder<V> subscribe(boolean subscribe) {
            this.subscribe = subscribe;
            return this;
        }

        /** Extra consumer properties; they override the builder's (e.g. max.poll.records, enable.auto.commit). */
        public Builder<V> extra(Properties extra) {
            if (extra == null) {
                throw new IllegalArgumentException("extra must not be null");
            }
            this.extra = new Properties();
            this.extra.putAll(extra);
            return this;
        }

        /** Creates the consumer and, unless disabled, subscribes it. */
        public TypedConsumer<V> build() {
            requireNonBlank(bootstrap, "bootstrap");
            requireNonBlank(groupId, "groupId");
            if (clientId != null) {
                requireNonBlank(clientId, "clientId");
            }
            if (codec == null) {
                throw new IllegalArgumentException("codec must be set");
            }
            if (deadLetters == null) {
                throw new IllegalArgumentException("deadLetters must be set");
            }
            KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties());
            if (subscribe) {
                consumer.subscribe(Set.of(topic.name()));
            }
            return new TypedConsumer<>(this, consumer);
        }

        private Properties properties() {
            Properties props = KafkaClients.groupConsumer(bootstrap, groupId, clientId == null ? groupId : clientId,
                fromBeginning, isolationReadCommitted);
            props.putAll(extra);
            return props;
        }

        private static void requireNonBlank(String value, String setting) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(setting + " must be a non-blank string");
            }
        }
    }
}
