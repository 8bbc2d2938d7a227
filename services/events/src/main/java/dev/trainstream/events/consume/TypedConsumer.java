package dev.trainstream.events.consume;

import dev.trainstream.events.TrainstreamEvent;
import dev.trainstream.events.codec.DecodedEvent;
import dev.trainstream.events.codec.EventCodec;
import dev.trainstream.events.codec.InvalidEventException;
import dev.trainstream.events.topics.Topic;
import dev.trainstream.events.topics.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls a typed topic; invalid records are logged (topic/partition/offset + reason) and published to DEAD_LETTERS,
 * then skipped. Offsets are not auto-committed: commit through {@link #kafka()} after the effect (at-least-once).
 */
public final class TypedConsumer<V extends TrainstreamEvent> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TypedConsumer.class);

    private final Topic<V> topic;
    private final EventCodec codec;
    private final DeadLetterPublisher deadLetters;
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
        deadLetters.publish(record, e.problem());
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

    /** The underlying consumer, for seek/commit/assign. */
    public KafkaConsumer<String, byte[]> kafka() {
        return consumer;
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
        private DeadLetterPublisher deadLetters;
        // New groups start at the end by default: a service normally cares about what happens from now on.
        private boolean fromBeginning = false;
        // Only see events of committed transactions (ingest publishes batches transactionally).
        private boolean isolationReadCommitted = true;
        // Subscribe to the topic on build; false leaves assignment to the caller (kafka().assign + seek).
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
        public Builder<V> deadLetters(DeadLetterPublisher deadLetters) {
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

        /** Subscribe to the topic on build (true, default); false to assign partitions manually via kafka(). */
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
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
            props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId == null ? groupId : clientId);
            props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest");
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, (isolationReadCommitted
                    ? IsolationLevel.READ_COMMITTED : IsolationLevel.READ_UNCOMMITTED).toString().toLowerCase(Locale.ROOT));
            // Commit after the effect, not on a timer, so a crash re-delivers rather than loses (at-least-once).
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
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
