package dev.trainstream.ingest;

import dev.trainstream.events.BatchReference;
import dev.trainstream.events.BatchStreamEvent;
import dev.trainstream.events.EpochCompleted;
import dev.trainstream.events.codec.EventCodec;
import dev.trainstream.events.codec.InvalidEventException;
import dev.trainstream.events.consume.TopicReader;
import dev.trainstream.events.topics.Topics;
import java.time.Duration;
import java.util.List;

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

    /**
     * Every committed event of {@code datasetId} (null: of every dataset), in partition/offset order. Read up to the
     * high watermark: a commit's markers land on the partitions shortly after commitTransaction returns, and the read
     * waits for them instead of racing them.
     */
    static List<Placed> read(String bootstrap, String datasetId) throws InvalidEventException {
        return TopicReader.snapshot(bootstrap, Topics.BATCHES, EventCodec.create("/test"), TopicReader.End.HIGH_WATERMARK,
                Duration.ofSeconds(30)).stream()
            .filter(r -> datasetId == null || datasetId.equals(Topics.BATCHES.keyOf(r.event())))
            .map(r -> new Placed(r.event(), r.partition(), r.offset())).toList();
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
