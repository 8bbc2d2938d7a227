package dev.trainstream.events.produce;

import dev.trainstream.events.TrainstreamEvent;
import dev.trainstream.events.clients.KafkaClients;
import dev.trainstream.events.codec.EventCodec;
import dev.trainstream.events.topics.Topic;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/** Publishes typed events through an idempotent, acks=all producer; optionally transactional. */
public final class EventPublisher implements AutoCloseable {

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final Producer<String, byte[]> producer;
    private final EventCodec codec;
    private final boolean transactional;

    private EventPublisher(Producer<String, byte[]> producer, EventCodec codec, boolean transactional) {
        this.producer = producer;
        this.codec = codec;
        this.transactional = transactional;
    }

    /** A non-transactional publisher. */
    public static EventPublisher create(String bootstrap, EventCodec codec, String clientId) {
        return create(bootstrap, codec, clientId, new Properties());
    }

    /** A non-transactional publisher; {@code extra} overrides/adds producer properties (e.g. delivery.timeout.ms). */
    public static EventPublisher create(String bootstrap, EventCodec codec, String clientId, Properties extra) {
        return new EventPublisher(new KafkaProducer<>(settings(bootstrap, codec, clientId, null, extra)), codec, false);
    }

    /**
     * A transactional publisher (e.g. ingest publishes an epoch's last batch and its EpochCompleted marker atomically).
     * Calls initTransactions, which fences older producers with the same transactional id.
     */
    public static EventPublisher createTransactional(String bootstrap, EventCodec codec, String clientId,
                                                     String transactionalId, Properties extra) {
        if (transactionalId == null || transactionalId.isBlank()) {
            throw new IllegalArgumentException("transactionalId must be non-blank");
        }
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(settings(bootstrap, codec, clientId,
            transactionalId, extra));
        try {
            producer.initTransactions();
        } catch (RuntimeException e) {
            producer.close(Duration.ZERO);
            throw e;
        }
        return new EventPublisher(producer, codec, true);
    }

    private static Properties settings(String bootstrap, EventCodec codec, String clientId, String transactionalId,
                                       Properties extra) {
        if (codec == null) {
            throw new IllegalArgumentException("codec must not be null");
        }
        return KafkaClients.producer(bootstrap, clientId, transactionalId, extra);
    }

    /**
     * Publishes and waits for the broker's acknowledgement.
     *
     * @throws PublishException if the broker does not acknowledge (see {@link PublishException#retriable()})
     */
    public <V extends TrainstreamEvent> RecordMetadata publish(Topic<V> topic, V event) {
        ProducerRecord<String, byte[]> record = codec.encode(topic, event);
        try {
            return producer.send(record).get();
        } catch (ExecutionException e) {
            throw new PublishException(topic.name(), String.valueOf(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishException(topic.name(), "interrupted while waiting for the acknowledgement", e);
        }
    }

    /** Publishes without waiting; the future fails with {@link PublishException} if the broker does not acknowledge. */
    public <V extends TrainstreamEvent> CompletableFuture<RecordMetadata> publishAsync(Topic<V> topic, V event) {
        ProducerRecord<String, byte[]> record = codec.encode(topic, event);
        CompletableFuture<RecordMetadata> result = new CompletableFuture<>();
        producer.send(record, (metadata, error) -> {
            if (error != null) {
                result.completeExceptionally(new PublishException(topic.name(), String.valueOf(error), error));
            } else {
                result.complete(metadata);
            }
        });
        return result;
    }

    /** Waits until every record sent so far is acknowledged or failed. */
    public void flush() {
        producer.flush();
    }

    /** Starts a transaction (transactional publishers only). */
    public void beginTransaction() {
        requireTransactional();
        producer.beginTransaction();
    }

    /** Commits the current transaction, flushing its records first. */
    public void commitTransaction() {
        requireTransactional();
        producer.commitTransaction();
    }

    /** Aborts the current transaction; its records are never seen by read_committed consumers. */
    public void abortTransaction() {
        requireTransactional();
        producer.abortTransaction();
    }

    /** The underlying producer, for calls this class does not wrap (e.g. sendOffsetsToTransaction). */
    public Producer<String, byte[]> kafka() {
        return producer;
    }

    private void requireTransactional() {
        if (!transactional) {
            throw new IllegalStateException("publisher was not created with createTransactional");
        }
    }

    @Override
    public void close() {
        producer.close(CLOSE_TIMEOUT);
    }
}
