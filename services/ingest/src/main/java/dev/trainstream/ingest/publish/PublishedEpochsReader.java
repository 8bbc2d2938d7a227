package dev.trainstream.ingest.publish;

import dev.trainstream.events.BatchReference;
import dev.trainstream.events.EpochCompleted;
import dev.trainstream.events.EventType;
import dev.trainstream.events.codec.EventCodec;
import dev.trainstream.events.consume.TopicReader;
import dev.trainstream.events.topics.Topics;
import dev.trainstream.ingest.IngestFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.apache.kafka.common.KafkaException;
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

    private PublishedEpochsReader() {
    }

    /**
     * @param timeout how long to wait for the topic to be readable to its end; longer than the producers'
     *                {@code transaction.timeout.ms} (60 s by default), after which the broker aborts a stuck epoch
     * @throws IngestFailure if the end is not reached in time or Kafka fails
     */
    public static PublishedEpochs read(String bootstrap, String datasetId, Duration timeout) {
        List<EpochMarker> markers = new ArrayList<>();
        OptionalInt[] batchSize = {OptionalInt.empty()};
        // Invalid records are the trainers' business (they dead-letter them); here they are only skipped, with a line.
        try (TopicReader reader = TopicReader.open(bootstrap, "trainstream-ingest-epochs",
                EventCodec.create("/trainstream/ingest"), timeout)) {
            // Only the markers and one batch reference (for the batch size) are decoded: a dataset with many epochs on
            // the topic has hundreds of references per marker, and each would be parsed and schema-validated.
            reader.replay(Topics.BATCHES, TopicReader.End.HIGH_WATERMARK, timeout, datasetId::equals,
                type -> type == EventType.EPOCH_COMPLETED || batchSize[0].isEmpty(), received -> {
                if (received.event() instanceof EpochCompleted marker) {
                    markers.add(new EpochMarker(marker.epoch(), received.partition(), received.offset()));
                } else if (received.event() instanceof BatchReference batch) {
                    batchSize[0] = OptionalInt.of(batch.batchSize());
                }
            }, TopicReader.InvalidRecords.logged(LOG));
        } catch (IllegalStateException e) {
            throw new IngestFailure(e.getMessage() + ": a transaction of another producer is still open; nothing was "
                + "published", e);
        } catch (KafkaException e) {
            throw new IngestFailure("reading the epochs of " + datasetId + " already on " + Topics.BATCHES.name()
                + " at " + bootstrap + " failed: " + e.getMessage() + "; nothing was published", e);
        }
        return new PublishedEpochs(datasetId, markers, batchSize[0]);
    }
}
