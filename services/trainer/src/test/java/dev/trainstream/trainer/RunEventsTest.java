package dev.trainstream.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainstream.engine.training.StepResult;
import dev.trainstream.events.codec.EventCodec;
import dev.trainstream.events.consume.TopicReader;
import dev.trainstream.events.produce.DeadLetters;
import dev.trainstream.events.produce.EventPublisher;
import dev.trainstream.events.produce.PublishException;
import dev.trainstream.events.topics.TopicAdmin;
import dev.trainstream.events.topics.Topics;
import dev.trainstream.infra.EmbeddedKafka;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Metric events leave the training thread without waiting for the broker, yet none is lost silently: a failed one
 * fails the run at the next metric event or before FINISHED.
 */
class RunEventsTest {
    private static final Duration DELIVERY = Duration.ofSeconds(4);
    private static final EventCodec CODEC = EventCodec.create("/trainstream/test");

    @TempDir
    Path dir;

    private static MetricWindow window() {
        MetricWindow window = new MetricWindow();
        window.add(new StepResult(1, 2.3, 0.1, 0.05, 1_000_000), 128, 0);
        return window;
    }

    private static EventPublisher publisher(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) DELIVERY.toMillis());
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 1_000);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) DELIVERY.toMillis());
        return EventPublisher.create(bootstrap, CODEC, "run-events-test", props);
    }

    @Test
    void givenAReachableBroker_whenMetricsArePublishedThenTheRunFinishes_thenEveryMetricEventIsOnTheTopic() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir)) {
            TopicAdmin.ensureTopics(kafka.bootstrapServers(), Topics.all(), (short) 1);
            try (EventPublisher publisher = publisher(kafka.bootstrapServers());
                 DeadLetters deadLetters = DeadLetters.create(kafka.bootstrapServers(), CODEC, "test")) {
                try (RunEvents events = new RunEvents(publisher, deadLetters, "run-ok", Clock.systemUTC())) {
                    events.metrics(20, 0, window(), 0.05);
                    events.metrics(40, 0, window(), 0.05);
                    events.finished(40, Map.of());
                }
            }
            assertThat(TopicReader.events(kafka.bootstrapServers(), Topics.METRICS, CODEC, Duration.ofSeconds(30)))
                .filteredOn(m -> m.runId().equals("run-ok")).extracting(m -> m.metrics().get(0).step())
                .containsExactly(20L, 40L);
        }
    }

    @Test
    void givenTheBrokerGoneAfterTheFirstEvent_whenMetricsArePublished_thenTheStepThreadDoesNotWaitAndFinishingFails() {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir)) {
            TopicAdmin.ensureTopics(kafka.bootstrapServers(), Topics.all(), (short) 1);
            try (EventPublisher publisher = publisher(kafka.bootstrapServers());
                 DeadLetters deadLetters = DeadLetters.create(kafka.bootstrapServers(), CODEC, "test")) {
                try (RunEvents events = new RunEvents(publisher, deadLetters, "run-cut", Clock.systemUTC())) {
                    events.metrics(20, 0, window(), 0.05);
                    events.awaitMetrics(); // the topic's metadata is known from here on
                    kafka.stop();

                    long started = System.nanoTime();
                    events.metrics(40, 0, window(), 0.05);
                    Duration took = Duration.ofNanos(System.nanoTime() - started);

                    // A send on this thread would block for metadata (max.block.ms) or the acknowledgement (delivery
                    // timeout): 4 s either way.
                    assertThat(took).isLessThan(Duration.ofSeconds(1));
                    assertThatThrownBy(() -> events.finished(40, Map.of())).isInstanceOf(PublishException.class)
                        .hasMessageContaining(Topics.METRICS.name());
                }
            }
        }
    }
}
