package dev.trainstream.events.consume;

import static dev.trainstream.events.consume.ConsumeTestRecords.batch;
import static dev.trainstream.events.consume.ConsumeTestRecords.rawProducer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.trainstream.events.BatchReference;
import dev.trainstream.events.BatchStreamEvent;
import dev.trainstream.events.DeadLetter;
import dev.trainstream.events.EpochCompleted;
import dev.trainstream.events.EventType;
import dev.trainstream.events.codec.EventCodec;
import dev.trainstream.events.produce.DeadLetters;
import dev.trainstream.events.produce.EventPublisher;
import dev.trainstream.events.topics.Topic;
import dev.trainstream.events.topics.TopicAdmin;
import dev.trainstream.events.topics.Topics;
import dev.trainstream.infra.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against a real broker: invalid records are dead-lettered and skipped; transactions hide aborted batches; a replay
 * with a type filter decodes only the types asked for.
 */
class TypedConsumerDeadLetteringTest {

    private static final Duration DEADLINE = Duration.ofSeconds(45);
    private static final Topic<BatchStreamEvent> FILTER_TOPIC = Topic.define("test.filter.batches.v1", 1,
            BatchStreamEvent.class, BatchStreamEvent::datasetId,
            Set.of(EventType.BATCH_REFERENCE, EventType.EPOCH_COMPLETED), Map.of());
    private static final Duration POLL = Duration.ofMillis(200);

    @TempDir
    static Path dataDir;
    private static EmbeddedKafka kafka;
    private static EventCodec codec;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start(dataDir);
        codec = EventCodec.create("/trainstream/test");
        TopicAdmin.ensureTopics(kafka.bootstrapServers(), Topics.all(), (short) 1);
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void givenExistingTopics_whenEnsuredAgain_thenNothingFails() {
        TopicAdmin.ensureTopics(kafka.bootstrapServers(), Topics.all(), (short) 1);
    }

    @Test
    void givenValidAndSchemaViolatingRecords_whenPolled_thenOnlyValidArriveAndInvalidIsDeadLetteredAndConsumerGoesOn()
            throws Exception {
        String bootstrap = kafka.bootstrapServers();
        BatchReference first = batch("ds-dlq", 0);
        BatchReference later = batch("ds-dlq", 1);
        byte[] violating = "{\"manifestKey\":\"m\",\"epoch\":0}".getBytes(StandardCharsets.UTF_8);

        RecordMetadata badAt;
        try (EventPublisher publisher = EventPublisher.create(bootstrap, codec, "ingest-test");
             KafkaProducer<String, byte[]> raw = rawProducer(bootstrap)) {
            publisher.publish(Topics.BATCHES, first);
            ProducerRecord<String, byte[]> valid = codec.encode(Topics.BATCHES, first);
            badAt = raw.send(new ProducerRecord<>(valid.topic(), null, valid.key(), violating, valid.headers())).get();
        }

        try (DeadLetters deadLetters = DeadLetters.create(bootstrap, codec, "trainer-test");
             TypedConsumer<BatchStreamEvent> consumer = TypedConsumer.builder(Topics.BATCHES)
                     .bootstrap(bootstrap).groupId("trainer-dlq-test").codec(codec).deadLetters(deadLetters)
                     .fromBeginning(true).build()) {
            List<Received<BatchStreamEvent>> received = new ArrayList<>();
            await().atMost(DEADLINE).until(() -> {
                received.addAll(consumer.poll(POLL));
                return received.stream().anyMatch(r -> r.event().equals(first))
                        && consumer.position(badAt.partition()) > badAt.offset();
            });
            assertThat(received).extracting(Received::event).containsExactly(first);
            assertThat(received.get(0).ceId()).isNotBlank();
            assertThat(received.get(0).topic()).isEqualTo(Topics.BATCHES.name());

            DeadLetter letter = awaitDeadLetter(bootstrap, badAt);
            assertThat(letter.sourceTopic()).isEqualTo(Topics.BATCHES.name());
            assertThat(letter.partition()).isEqualTo(badAt.partition());
            assertThat(letter.key()).isEqualTo("ds-dlq");
            assertThat(letter.ceType()).isEqualTo(EventType.BATCH_REFERENCE.ceType());
            assertThat(letter.reason()).contains("batch-reference.v1.json").contains("datasetId");
            assertThat(Base64.getDecoder().decode(letter.payloadBase64())).isEqualTo(violating);
            assertThat(letter.service()).isEqualTo("trainer-test");

            try (EventPublisher publisher = EventPublisher.create(bootstrap, codec, "ingest-test")) {
                publisher.publish(Topics.BATCHES, later);
            }
            List<Received<BatchStreamEvent>> afterwards = new ArrayList<>();
            await().atMost(DEADLINE).until(() -> {
                afterwards.addAll(consumer.poll(POLL));
                return !afterwards.isEmpty();
            });
            assertThat(afterwards).extracting(Received::event).containsExactly(later);
        }
    }

    @Test
    void givenAnInvalidRecordNearTheRecordLimit_whenConsumed_thenItsDeadLetterFitsAndTheConsumerGoesOn()
            throws Exception {
        String bootstrap = kafka.bootstrapServers();
        Topic<BatchStreamEvent> topic = Topic.define("test.huge.batches.v1", 1, BatchStreamEvent.class,
                BatchStreamEvent::datasetId, Set.of(EventType.BATCH_REFERENCE, EventType.EPOCH_COMPLETED),
                Map.of());
        TopicAdmin.ensureTopics(bootstrap, List.of(topic), (short) 1);
        // 900 KB: as base64 it alone would exceed Kafka's 1 MiB record limit, so the whole payload cannot be parked.
        byte[] huge = new byte[900_000];
        new Random(7).nextBytes(huge);
        BatchReference after = batch("ds-huge", 1);
        RecordMetadata badAt;
        try (KafkaProducer<String, byte[]> raw = rawProducer(bootstrap)) {
            ProducerRecord<String, byte[]> valid = codec.encode(topic, after);
            badAt = raw.send(new ProducerRecord<>(valid.topic(), null, valid.key(), huge, valid.headers())).get();
            raw.send(valid).get();
        }

        try (DeadLetters deadLetters = DeadLetters.create(bootstrap, codec, "trainer-test");
             TypedConsumer<BatchStreamEvent> consumer = TypedConsumer.builder(topic)
                     .bootstrap(bootstrap).groupId("trainer-huge-test").codec(codec).deadLetters(deadLetters)
                     .fromBeginning(true).build()) {
            List<BatchStreamEvent> received = new ArrayList<>();
            await().atMost(DEADLINE).until(() -> {
                consumer.poll(POLL).forEach(r -> received.add(r.event()));
                return received.contains(after);
            });
            assertThat(consumer.rejected()).isGreaterThanOrEqualTo(1);
        }

        DeadLetter letter = awaitDeadLetter(bootstrap, badAt);
        assertThat(letter.payloadBytes()).isEqualTo(900_000L);
        assertThat(letter.payloadTruncated()).isTrue();
        assertThat(letter.payloadSha256()).isEqualTo(HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(huge)));
        assertThat(Base64.getDecoder().decode(letter.payloadBase64()))
                .isEqualTo(Arrays.copyOf(huge, DeadLetters.PAYLOAD_EXCERPT_BYTES));
    }

    @Test
    void givenTransactionalPublisher_whenOneEpochAbortsAndNextCommits_thenReadCommittedConsumerSeesOnlyCommitted() {
        String bootstrap = kafka.bootstrapServers();
        Topic<BatchStreamEvent> topic = Topic.define("test.tx.batches.v1", 1, BatchStreamEvent.class,
                BatchStreamEvent::datasetId, Set.of(EventType.BATCH_REFERENCE, EventType.EPOCH_COMPLETED),
                Map.of());
        TopicAdmin.ensureTopics(bootstrap, List.of(topic), (short) 1);
        BatchReference aborted = batch("ds-tx", 0);
        BatchReference committed = batch("ds-tx", 1);
        EpochCompleted marker = new EpochCompleted("ds-tx", 0, 1, committed.recordCount());

        try (EventPublisher publisher = EventPublisher.createTransactional(bootstrap, codec, "ingest-tx-test",
                "ingest-tx-test", new Properties())) {
            publisher.beginTransaction();
            publisher.publishAsync(topic, aborted);
            publisher.abortTransaction();
            publisher.beginTransaction();
            publisher.publishAsync(topic, committed);
            publisher.publishAsync(topic, marker);
            publisher.commitTransaction();
        }

        try (DeadLetters deadLetters = DeadLetters.create(bootstrap, codec, "trainer-test");
             TypedConsumer<BatchStreamEvent> consumer = TypedConsumer.builder(topic)
                     .bootstrap(bootstrap).groupId("trainer-tx-test").codec(codec).deadLetters(deadLetters)
                     .fromBeginning(true).build()) {
            List<BatchStreamEvent> received = new ArrayList<>();
            await().atMost(DEADLINE).until(() -> {
                consumer.poll(POLL).forEach(r -> received.add(r.event()));
                return received.contains(marker);
            });
            assertThat(received).containsExactly(committed, marker);
        }
    }

    @Test
    void givenAnOpenTransaction_whenSnapshotting_thenCommittedEventsComeBackAndTheHighWatermarkReadFailsAtItsDeadline()
            throws Exception {
        String bootstrap = kafka.bootstrapServers();
        Topic<BatchStreamEvent> topic = Topic.define("test.snapshot.batches.v1", 2, BatchStreamEvent.class,
                BatchStreamEvent::datasetId, Set.of(EventType.BATCH_REFERENCE, EventType.EPOCH_COMPLETED), Map.of());
        TopicAdmin.ensureTopics(bootstrap, List.of(topic), (short) 1);
        BatchReference committed = batch("ds-snap", 0);
        BatchReference open = batch("ds-snap", 1);

        try (EventPublisher publisher = EventPublisher.createTransactional(bootstrap, codec, "snapshot-test",
                "snapshot-test", new Properties())) {
            publisher.beginTransaction();
            publisher.publishAsync(topic, committed);
            publisher.commitTransaction();
            assertThat(TopicReader.snapshot(bootstrap, topic, codec, TopicReader.End.HIGH_WATERMARK, DEADLINE))
                    .singleElement().satisfies(r -> {
                        assertThat(r.event()).isEqualTo(committed);
                        assertThat(r.topic()).isEqualTo(topic.name());
                        assertThat(r.ceId()).isNotBlank();
                    });

            publisher.beginTransaction();
            publisher.publishAsync(topic, open);
            publisher.flush();
            // The committed view ends before the open transaction; the high-watermark view must wait for it.
            assertThat(TopicReader.events(bootstrap, topic, codec, DEADLINE)).containsExactly(committed);
            assertThatThrownBy(() -> TopicReader.snapshot(bootstrap, topic, codec, TopicReader.End.HIGH_WATERMARK,
                    Duration.ofSeconds(2)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining(topic.name());
            publisher.commitTransaction();
        }
        // commitTransaction returns before the commit markers are on every partition: the second event becomes
        // visible to a committed reader once its marker is written, so wait for it within the deadline.
        await().atMost(DEADLINE).until(() -> TopicReader.events(bootstrap, topic, codec, DEADLINE).size() == 2);
        assertThat(TopicReader.events(bootstrap, topic, codec, DEADLINE)).containsExactlyInAnyOrder(committed, open);
    }

    private static DeadLetter awaitDeadLetter(String bootstrap, RecordMetadata badAt) {
        try (DeadLetters unused = DeadLetters.create(bootstrap, codec, "auditor-test");
             TypedConsumer<DeadLetter> letters = TypedConsumer.builder(Topics.DEAD_LETTERS)
                     .bootstrap(bootstrap).groupId("auditor-" + badAt.offset()).codec(codec).deadLetters(unused)
                     .fromBeginning(true).build()) {
            List<DeadLetter> found = new ArrayList<>();
            await().atMost(DEADLINE).until(() -> {
                letters.poll(POLL).stream().map(Received::event)
                        .filter(l -> l.sourceTopic().equals(badAt.topic()) && l.offset() == badAt.offset())
                        .forEach(found::add);
                return !found.isEmpty();
            });
            return found.get(0);
        }
    }

    @Test
    void givenATypeFilter_whenReplayed_thenOnlyWantedTypesAreDecodedAndOthersAreNeitherDeliveredNorRejected()
            throws Exception {
        String bootstrap = kafka.bootstrapServers();
        // A topic of its own: the other tests here read the batches topic from its beginning.
        TopicAdmin.ensureTopics(bootstrap, List.of(FILTER_TOPIC), (short) 1);
        BatchReference first = batch("ds-filter", 0);
        BatchReference second = batch("ds-filter", 1);
        EpochCompleted marker = new EpochCompleted("ds-filter", 0, 2, first.recordCount() + second.recordCount());
        try (EventPublisher publisher = EventPublisher.create(bootstrap, codec, "ingest-test");
             KafkaProducer<String, byte[]> raw = rawProducer(bootstrap)) {
            publisher.publish(FILTER_TOPIC, first);
            ProducerRecord<String, byte[]> valid = codec.encode(FILTER_TOPIC, second);
            // Typed as a batch reference, but not even JSON: decoding it can only reject it.
            raw.send(new ProducerRecord<>(valid.topic(), null, valid.key(),
                "{not json".getBytes(StandardCharsets.UTF_8), valid.headers())).get();
            publisher.publish(FILTER_TOPIC, second);
            publisher.publish(FILTER_TOPIC, marker);
        }
        List<BatchStreamEvent> markersOnly = new ArrayList<>();
        List<BatchStreamEvent> everything = new ArrayList<>();
        long rejectedFiltered;
        long rejectedAll;
        try (TopicReader reader = TopicReader.open(bootstrap, "filter-test", codec, DEADLINE)) {
            rejectedFiltered = reader.replay(FILTER_TOPIC, TopicReader.End.HIGH_WATERMARK, DEADLINE,
                "ds-filter"::equals, type -> type == EventType.EPOCH_COMPLETED, r -> markersOnly.add(r.event()),
                TopicReader.InvalidRecords.logged(org.slf4j.LoggerFactory.getLogger(getClass())));
        }
        try (TopicReader reader = TopicReader.open(bootstrap, "filter-test", codec, DEADLINE)) {
            rejectedAll = reader.replay(FILTER_TOPIC, TopicReader.End.HIGH_WATERMARK, DEADLINE,
                "ds-filter"::equals, r -> everything.add(r.event()),
                TopicReader.InvalidRecords.logged(org.slf4j.LoggerFactory.getLogger(getClass())));
        }

        assertThat(markersOnly).containsExactly(marker);
        assertThat(rejectedFiltered).isZero();
        assertThat(everything).containsExactly(first, second, marker);
        assertThat(rejectedAll).isEqualTo(1);
    }
}
