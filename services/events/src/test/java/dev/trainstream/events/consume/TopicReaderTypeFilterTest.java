package dev.trainstream.events.consume;

import static dev.trainstream.events.consume.ConsumeTestRecords.batch;
import static dev.trainstream.events.consume.ConsumeTestRecords.rawProducer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.trainstream.events.BatchReference;
import dev.trainstream.events.BatchStreamEvent;
import dev.trainstream.events.EpochCompleted;
import dev.trainstream.events.EventType;
import dev.trainstream.events.codec.EventCodec;
import dev.trainstream.events.produce.EventPublisher;
import dev.trainstream.events.topics.TopicAdmin;
import dev.trainstream.events.topics.Topics;
import dev.trainstream.infra.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A replay with a type filter decodes only the wanted types: a reader of markers does not parse every reference. */
class TopicReaderTypeFilterTest {
    private static final Duration DEADLINE = Duration.ofSeconds(45);

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
    void givenATypeFilter_whenReplayed_thenOnlyWantedTypesAreDecodedAndOthersAreNeitherDeliveredNorRejected()
            throws Exception {
        String bootstrap = kafka.bootstrapServers();
        BatchReference first = batch("ds-filter", 0);
        BatchReference second = batch("ds-filter", 1);
        EpochCompleted marker = new EpochCompleted("ds-filter", 0, 2, first.recordCount() + second.recordCount());
        try (EventPublisher publisher = EventPublisher.create(bootstrap, codec, "ingest-test");
             KafkaProducer<String, byte[]> raw = rawProducer(bootstrap)) {
            publisher.publish(Topics.BATCHES, first);
            ProducerRecord<String, byte[]> valid = codec.encode(Topics.BATCHES, second);
            // Typed as a batch reference, but not even JSON: decoding it can only reject it.
            raw.send(new ProducerRecord<>(valid.topic(), null, valid.key(),
                "{not json".getBytes(StandardCharsets.UTF_8), valid.headers())).get();
            publisher.publish(Topics.BATCHES, second);
            publisher.publish(Topics.BATCHES, marker);
        }
        List<BatchStreamEvent> markersOnly = new ArrayList<>();
        List<BatchStreamEvent> everything = new ArrayList<>();
        long rejectedFiltered;
        long rejectedAll;
        try (TopicReader reader = TopicReader.open(bootstrap, "filter-test", codec, DEADLINE)) {
            rejectedFiltered = reader.replay(Topics.BATCHES, TopicReader.End.HIGH_WATERMARK, DEADLINE,
                "ds-filter"::equals, type -> type == EventType.EPOCH_COMPLETED, r -> markersOnly.add(r.event()),
                TopicReader.InvalidRecords.logged(org.slf4j.LoggerFactory.getLogger(getClass())));
        }
        try (TopicReader reader = TopicReader.open(bootstrap, "filter-test", codec, DEADLINE)) {
            rejectedAll = reader.replay(Topics.BATCHES, TopicReader.End.HIGH_WATERMARK, DEADLINE,
                "ds-filter"::equals, r -> everything.add(r.event()),
                TopicReader.InvalidRecords.logged(org.slf4j.LoggerFactory.getLogger(getClass())));
        }

        assertThat(markersOnly).containsExactly(marker);
        assertThat(rejectedFiltered).isZero();
        assertThat(everything).containsExactly(first, second, marker);
        assertThat(rejectedAll).isEqualTo(1);
    }
}
