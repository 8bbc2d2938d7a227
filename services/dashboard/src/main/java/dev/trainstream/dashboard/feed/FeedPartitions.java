package dev.trainstream.dashboard.feed;

import dev.trainstream.events.TrainstreamEvent;
import dev.trainstream.events.codec.EventCodec;
import dev.trainstream.events.produce.DeadLetters;
import dev.trainstream.events.consume.Received;
import dev.trainstream.events.consume.TypedConsumer;
import dev.trainstream.events.topics.Topic;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One topic of the feed: a {@link TypedConsumer} assigned every partition from the beginning, remembering where the
 * topic ended when the feed started so the feed can tell when its replay is complete.
 */
final class FeedPartitions<V extends TrainstreamEvent> implements AutoCloseable {
    private final TypedConsumer<V> consumer;
    private final List<Integer> partitions;
    private final Map<Integer, Long> startEnd;
    private boolean reached;

    private FeedPartitions(TypedConsumer<V> consumer, List<Integer> partitions, Map<Integer, Long> startEnd) {
        this.consumer = consumer;
        this.partitions = partitions;
        this.startEnd = startEnd;
    }

    static <V extends TrainstreamEvent> FeedPartitions<V> open(Topic<V> topic, FeedSettings settings, EventCodec codec,
                                                                DeadLetters deadLetters) {
        TypedConsumer<V> consumer = TypedConsumer.builder(topic).bootstrap(settings.bootstrap())
            .groupId(settings.groupId()).clientId(settings.groupId() + "-" + topic.name()).codec(codec)
            .deadLetters(deadLetters).fromBeginning(true).subscribe(false).build();
        try {
            List<Integer> partitions = consumer.assignAll();
            consumer.seekToBeginning(partitions);
            return new FeedPartitions<>(consumer, partitions, Map.copyOf(consumer.endOffsets()));
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
    }

    List<Received<V>> poll(Duration timeout) {
        return consumer.poll(timeout);
    }

    /** True once every partition's position has passed the end it had when the feed started. */
    boolean reachedStartEnd() {
        if (!reached) {
            reached = consumer.reached(startEnd);
        }
        return reached;
    }

    void rewind() {
        consumer.seekToBeginning(partitions);
    }

    String topic() {
        return consumer.topic().name();
    }

    void wakeup() {
        consumer.wakeup();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
