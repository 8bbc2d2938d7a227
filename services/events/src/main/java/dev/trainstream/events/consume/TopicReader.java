package dev.trainstream.events.consume;

import dev.trainstream.events.EventType;
import dev.trainstream.events.TrainstreamEvent;
import dev.trainstream.events.clients.KafkaClients;
import dev.trainstream.events.codec.DecodedEvent;
import dev.trainstream.events.codec.EventCodec;
import dev.trainstream.events.codec.InvalidEventException;
import dev.trainstream.events.topics.Topic;
import dev.trainstream.events.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;

/**
 * Reads typed topics outside any consumer group, the way every tool, snapshot and start-up check needs them: a replay
 * from the beginning to where the topic ends now (bounded by a deadline, failing rather than returning short), or a
 * follow from the beginning or the end until woken. Read-committed, so it sees what the services see; it commits
 * nothing and publishes no dead letters: invalid records go to the caller's {@link InvalidRecords}.
 */
public final class TopicReader implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(200);

    /** Where a replay stops on each partition. */
    public enum End {
        /** The last stable offset: everything committed when the read starts. */
        LAST_STABLE,
        /**
         * The high watermark: also waits for transactions that were still open when the read started (until they
         * commit or abort; a commit's markers reach the partitions shortly after {@code commitTransaction} returns).
         */
        HIGH_WATERMARK
    }

    /** What a reader does with a record that is not a valid event of its topic. */
    @FunctionalInterface
    public interface InvalidRecords {
        /** Called once per invalid record; may throw to stop the read. */
        void reject(ConsumerRecord<String, byte[]> record, InvalidEventException problem);

        /** Skips each invalid record with a warning naming topic, partition, offset and the problem. */
        static InvalidRecords logged(Logger log) {
            return (record, problem) -> log.warn("skipping invalid record at {}-{}@{}: {}", record.topic(),
                record.partition(), record.offset(), problem.problem());
        }
    }

    private final String bootstrap;
    private final String clientId;
    private final EventCodec codec;
    private final Duration apiTimeout;
    private final KafkaConsumer<String, byte[]> consumer;

    private TopicReader(String bootstrap, String clientId, EventCodec codec, Duration apiTimeout) {
        if (codec == null) {
            throw new IllegalArgumentException("codec must be set");
        }
        this.bootstrap = bootstrap;
        this.clientId = clientId;
        this.codec = codec;
        this.apiTimeout = apiTimeout;
        this.consumer = KafkaClients.reader(bootstrap, clientId, IsolationLevel.READ_COMMITTED, apiTimeout);
    }

    /**
     * @param clientId   how the broker names this reader, e.g. "trainstream-tail"
     * @param apiTimeout bound of each metadata and offset look-up
     */
    public static TopicReader open(String bootstrap, String clientId, EventCodec codec, Duration apiTimeout) {
        return new TopicReader(bootstrap, clientId, codec, apiTimeout);
    }

    /**
     * Every valid event of {@code topic} whose record key passes {@code keys}, from the beginning of each partition
     * to its {@code end} at the start of the read, in partition order.
     *
     * @return how many records were handed to {@code invalid}
     * @throws IllegalStateException if the end is not reached within {@code timeout}; the message names the topic,
     *                               the ends and where each partition stood
     */
    public <V extends TrainstreamEvent> long replay(Topic<V> topic, End end, Duration timeout, Predicate<String> keys,
                                                    Consumer<Received<V>> sink, InvalidRecords invalid) {
        return replay(topic, end, timeout, keys, type -> true, sink, invalid);
    }

    /**
     * As {@link #replay(Topic, End, Duration, Predicate, Consumer, InvalidRecords)}, decoding only records whose
     * CloudEvents type header names a type {@code types} accepts (asked again for each record, so it may change its
     * mind as the read goes on): a reader that needs the few markers among many events skips parsing and validating
     * the rest. A record without a known type header is decoded (and rejected) as before.
     */
    public <V extends TrainstreamEvent> long replay(Topic<V> topic, End end, Duration timeout, Predicate<String> keys,
                                                    Predicate<EventType> types, Consumer<Received<V>> sink,
                                                    InvalidRecords invalid) {
        if (topic == null || end == null || timeout == null || timeout.isNegative() || keys == null || types == null
            || sink == null || invalid == null) {
            throw new IllegalArgumentException("topic, end, a non-negative timeout, keys, types, sink and invalid must "
                + "be set");
        }
        List<TopicPartition> partitions = partitions(List.of(topic));
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> ends = ends(partitions, end);
        long deadline = System.nanoTime() + timeout.toNanos();
        long rejected = 0;
        while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read " + topic.name() + " to " + ends + " within "
                    + timeout.toSeconds() + " s (stopped at " + positions(partitions) + ")");
            }
            for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                if (keys.test(record.key()) && wanted(record, types)) {
                    rejected += deliver(topic, record, sink, invalid);
                }
            }
        }
        return rejected;
    }

    /**
     * Follows {@code topics} from their beginning or their end, handing each valid event whose key passes
     * {@code keys} to {@code sink}, until {@code more} says stop or {@link #wakeup()} (WakeupException).
     */
    public void follow(List<Topic<?>> topics, boolean fromBeginning, Predicate<String> keys,
                       Consumer<Received<? extends TrainstreamEvent>> sink, InvalidRecords invalid,
                       BooleanSupplier more) {
        List<TopicPartition> partitions = partitions(topics);
        consumer.assign(partitions);
        if (fromBeginning) {
            consumer.seekToBeginning(partitions);
        } else {
            consumer.seekToEnd(partitions);
            // Seeks are lazy: resolve the end now, so events published from here on are not skipped.
            partitions.forEach(consumer::position);
        }
        while (more.getAsBoolean()) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                if (more.getAsBoolean() && keys.test(record.key())) {
                    Topic<?> topic = Topics.byName(record.topic()).orElseThrow();
                    deliver(topic, record, sink::accept, invalid);
                }
            }
        }
    }

    /** Makes a blocked or the next poll of {@link #follow} throw WakeupException; safe from another thread. */
    public void wakeup() {
        consumer.wakeup();
    }

    @Override
    public void close() {
        consumer.close();
    }

    /**
     * Every record of {@code topic} from its beginning to {@code end}, decoded.
     *
     * @throws InvalidEventException if a record is not a valid event of the topic (names topic, partition and offset)
     */
    public static <V extends TrainstreamEvent> List<Received<V>> snapshot(String bootstrap, Topic<V> topic,
                                                                          EventCodec codec, End end, Duration timeout)
            throws InvalidEventException {
        List<Received<V>> out = new ArrayList<>();
        try (TopicReader reader = open(bootstrap, "trainstream-snapshot", codec, timeout)) {
            reader.replay(topic, end, timeout, key -> true, out::add, (record, problem) -> {
                throw new Invalid(problem);
            });
        } catch (Invalid e) {
            throw e.problem;
        }
        return out;
    }

    /** The events of {@code topic} committed when the read starts; see {@link #snapshot}. */
    public static <V extends TrainstreamEvent> List<V> events(String bootstrap, Topic<V> topic, EventCodec codec,
                                                              Duration timeout) throws InvalidEventException {
        return snapshot(bootstrap, topic, codec, End.LAST_STABLE, timeout).stream().map(Received::event).toList();
    }

    private <V extends TrainstreamEvent> int deliver(Topic<V> topic, ConsumerRecord<String, byte[]> record,
                                                     Consumer<Received<V>> sink, InvalidRecords invalid) {
        DecodedEvent<V> decoded;
        try {
            decoded = codec.decodeWithAttributes(topic, record);
        } catch (InvalidEventException e) {
            invalid.reject(record, e);
            return 1;
        }
        sink.accept(new Received<>(decoded.event(), record.topic(), record.partition(), record.offset(),
            decoded.ceId()));
        return 0;
    }

    /** False only for a record whose type header names a known type that {@code types} does not want. */
    private static boolean wanted(ConsumerRecord<String, byte[]> record, Predicate<EventType> types) {
        Header header = record.headers().lastHeader(EventCodec.CE_TYPE_HEADER);
        if (header == null || header.value() == null) {
            return true;
        }
        return EventType.fromCeType(new String(header.value(), StandardCharsets.UTF_8)).map(types::test).orElse(true);
    }

    private List<TopicPartition> partitions(List<Topic<?>> topics) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (Topic<?> topic : topics) {
            consumer.partitionsFor(topic.name()).forEach(p -> partitions.add(new TopicPartition(topic.name(),
                p.partition())));
        }
        return partitions;
    }

    private Map<TopicPartition, Long> ends(List<TopicPartition> partitions, End end) {
        if (end == End.LAST_STABLE) {
            return consumer.endOffsets(partitions);
        }
        try (KafkaConsumer<String, byte[]> uncommitted = KafkaClients.reader(bootstrap, clientId + "-ends",
                IsolationLevel.READ_UNCOMMITTED, apiTimeout)) {
            return uncommitted.endOffsets(partitions);
        }
    }

    private Map<TopicPartition, Long> positions(List<TopicPartition> partitions) {
        Map<TopicPartition, Long> out = new LinkedHashMap<>();
        partitions.forEach(tp -> out.put(tp, consumer.position(tp)));
        return out;
    }

    /** Carries a strict snapshot's first invalid record out of the sink callback. */
    private static final class Invalid extends RuntimeException {
        private final InvalidEventException problem;

        Invalid(InvalidEventException problem) {
            super(problem.getMessage(), problem, false, false);
            this.problem = problem;
        }
    }
}
