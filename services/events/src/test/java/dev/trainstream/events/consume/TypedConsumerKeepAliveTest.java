package dev.trainstream.events.consume;

import static dev.trainstream.events.consume.ConsumeTestRecords.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trainstream.events.BatchReference;
import dev.trainstream.events.BatchStreamEvent;
import dev.trainstream.events.EventType;
import dev.trainstream.events.codec.EventCodec;
import dev.trainstream.events.produce.DeadLetters;
import dev.trainstream.events.produce.EventPublisher;
import dev.trainstream.events.topics.Topic;
import dev.trainstream.events.topics.TopicAdmin;
import dev.trainstream.infra.EmbeddedKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against a real broker: a consumer busy with long units of work stays in its group through {@code keepAlive}, learns
 * from it which partitions moved to a new member, and neither skips nor takes records meanwhile.
 */
class TypedConsumerKeepAliveTest {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final Topic<BatchStreamEvent> TOPIC = Topic.define("test.keepalive.batches.v1", 2,
        BatchStreamEvent.class, BatchStreamEvent::datasetId, Set.of(EventType.BATCH_REFERENCE, EventType.EPOCH_COMPLETED),
        Map.of());

    @TempDir
    static Path dataDir;
    private static EmbeddedKafka kafka;
    private static EventCodec codec;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start(dataDir);
        codec = EventCodec.create("/trainstream/test");
        TopicAdmin.ensureTopics(kafka.bootstrapServers(), List.of(TOPIC), (short) 1);
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void givenASecondMemberJoining_whenTheBusyOneKeepsAlive_thenItLearnsWhatMovedAndLosesNoRecord() {
        String bootstrap = kafka.bootstrapServers();
        publish(IntStream.range(0, 10).mapToObj(i -> batch("ds-" + i, 0)).toList());
        try (DeadLetters deadLetters = DeadLetters.create(bootstrap, codec, "keepalive-test");
             TypedConsumer<BatchStreamEvent> busy = consumer(bootstrap, deadLetters, "busy");
             TypedConsumer<BatchStreamEvent> joining = consumer(bootstrap, deadLetters, "joining")) {
            List<Received<BatchStreamEvent>> inHand = new ArrayList<>();
            await().atMost(DEADLINE).until(() -> {
                inHand.addAll(busy.poll(Duration.ofMillis(200)));
                return inHand.size() == 10;
            });
            assertThat(busy.assignment()).containsExactly(0, 1);
            assertThat(inHand.stream().map(Received::partition).collect(Collectors.toSet()))
                .as("both partitions hold records").containsExactly(0, 1);

            // While "scoring" what it holds, the busy member only keeps alive; new records must wait for its poll.
            publish(IntStream.range(0, 10).mapToObj(i -> batch("ds-" + i, 1)).toList());
            List<Received<BatchStreamEvent>> joined = new ArrayList<>();
            await().atMost(DEADLINE).until(() -> {
                busy.keepAlive();
                joined.addAll(joining.poll(Duration.ofMillis(100)));
                return busy.assignment().size() == 1 && joining.assignment().size() == 1;
            });
            int kept = busy.assignment().iterator().next();
            int moved = 1 - kept;
            assertThat(joining.assignment()).containsExactly(moved);

            // The moved partition's records in hand are no longer the busy member's; its new owner reads them all
            // (nothing was committed), and the busy member's own partition goes on from its last commit (here none:
            // the rebalance revoked and gave it back), so none of the records published meanwhile is skipped.
            long inHandOfMoved = inHand.stream().filter(r -> r.partition() == moved).count();
            await().atMost(DEADLINE).until(() -> {
                joined.addAll(joining.poll(Duration.ofMillis(100)));
                return joined.size() >= 2 * inHandOfMoved;
            });
            assertThat(joined).allMatch(r -> r.partition() == moved).hasSize((int) (2 * inHandOfMoved));
            List<Received<BatchStreamEvent>> resumed = new ArrayList<>();
            long newOnKept = 10 - inHandOfMoved;
            await().atMost(DEADLINE).until(() -> {
                resumed.addAll(busy.poll(Duration.ofMillis(100)));
                return resumed.stream().filter(r -> ((BatchReference) r.event()).step() == 1).count() >= newOnKept;
            });
            assertThat(resumed).allMatch(r -> r.partition() == kept);
            assertThat(resumed.stream().filter(r -> ((BatchReference) r.event()).step() == 1)).hasSize((int) newOnKept);
        }
    }

    private static TypedConsumer<BatchStreamEvent> consumer(String bootstrap, DeadLetters deadLetters, String id) {
        Properties extra = new Properties();
        extra.put("max.poll.records", "100");
        return TypedConsumer.builder(TOPIC).bootstrap(bootstrap).groupId("keepalive-test").clientId(id).codec(codec)
            .deadLetters(deadLetters).fromBeginning(true).extra(extra).build();
    }

    private static void publish(List<BatchReference> events) {
        try (EventPublisher publisher = EventPublisher.create(kafka.bootstrapServers(), codec, "keepalive-test")) {
            events.forEach(e -> publisher.publish(TOPIC, e));
        }
    }
}
