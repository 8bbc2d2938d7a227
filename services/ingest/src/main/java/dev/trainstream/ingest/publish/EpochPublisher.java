package dev.trainstream.ingest.publish;

import dev.trainstream.events.BatchReference;
import dev.trainstream.events.EpochCompleted;
import dev.trainstream.events.produce.EventPublisher;
import dev.trainstream.events.topics.Topics;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes whole epochs of batch references: each epoch's batches and its {@link EpochCompleted} marker go in one
 * Kafka transaction, so read-committed consumers see the whole epoch or none of it.
 */
public final class EpochPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(EpochPublisher.class);

    private final EventPublisher publisher;

    /** @param publisher a transactional publisher (see {@link EventPublisher#createTransactional}) */
    public EpochPublisher(EventPublisher publisher) {
        this.publisher = publisher;
    }

    /**
     * Publishes one epoch atomically and returns where its committed marker lies; on failure the transaction is
     * aborted and the exception rethrown.
     */
    public EpochMarker publish(int epoch, List<BatchReference> batches) {
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("epoch " + epoch + " has no batches");
        }
        BatchReference first = batches.get(0);
        long records = batches.stream().mapToLong(BatchReference::recordCount).sum();
        publisher.beginTransaction();
        try {
            for (BatchReference batch : batches) {
                publisher.publishAsync(Topics.BATCHES, batch);
            }
            CompletableFuture<RecordMetadata> marker = publisher.publishAsync(Topics.BATCHES,
                new EpochCompleted(first.datasetId(), epoch, batches.size(), records));
            publisher.commitTransaction();
            // commitTransaction flushed every record of the epoch, so the marker's metadata is there.
            RecordMetadata at = marker.join();
            return new EpochMarker(epoch, at.partition(), at.offset());
        } catch (ProducerFencedException e) {
            // Another ingest with the same transactional id took over: this instance must stop, not abort.
            throw e;
        } catch (KafkaException e) {
            LOG.warn("aborting epoch {} of {}: {}", epoch, first.datasetId(), e.getMessage());
            abortQuietly(e);
            throw e;
        }
    }

    private void abortQuietly(KafkaException cause) {
        try {
            publisher.abortTransaction();
        } catch (KafkaException abortFailure) {
            cause.addSuppressed(abortFailure);
        }
    }
}
