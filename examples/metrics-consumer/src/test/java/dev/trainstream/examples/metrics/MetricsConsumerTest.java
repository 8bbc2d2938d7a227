package dev.trainstream.examples.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trainstream.events.MetricRecord;
import dev.trainstream.events.TrainingMetrics;
import dev.trainstream.events.codec.EventCodec;
import dev.trainstream.events.produce.EventPublisher;
import dev.trainstream.events.topics.TopicAdmin;
import dev.trainstream.events.topics.Topics;
import dev.trainstream.infra.EmbeddedKafka;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example against a real broker, fed by the project's own publisher: every valid sample is printed once even when
 * re-delivered, and records that are not valid metric events are reported and skipped.
 */
class MetricsConsumerTest {
    @TempDir
    Path dir;

    @Test
    void givenGenuineRedeliveredAndInvalidEvents_whenConsumed_thenEachSamplePrintsOnceAndInvalidOnesAreReported()
        throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
            String bootstrap = kafka.bootstrapServers();
            TopicAdmin.ensureTopics(bootstrap, List.of(Topics.METRICS, Topics.DEAD_LETTERS), (short) 1);
            try (EventPublisher publisher = EventPublisher.create(bootstrap, EventCodec.create("/test/trainer"), "t")) {
                publisher.publish(Topics.METRICS, metrics("run-a", 10));
                publisher.publish(Topics.METRICS, metrics("run-a", 20));
                // A restarted trainer repeats the steps since its last checkpoint.
                publisher.publish(Topics.METRICS, metrics("run-a", 20));
                publisher.publish(Topics.METRICS, metrics("run-b", 5));
                publisher.publish(Topics.METRICS, metrics("run-a", 30));
            }
            publishRaw(bootstrap, "run-c", MetricsConsumer.CE_TYPE,
                "{\"runId\":\"run-c\",\"metrics\":[{\"key\":\"train.loss\",\"value\":1.0,\"timestamp\":1}]}");
            publishRaw(bootstrap, "run-c", "dev.trainstream.checkpoint-created.v1", "{}");

            try (MetricsConsumer consumer = new MetricsConsumer(bootstrap, "example-test", MetricSchema.fromClasspath(),
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8))) {
                CompletableFuture<Long> running = CompletableFuture.supplyAsync(() -> consumer.run(0));
                await().atMost(Duration.ofSeconds(60)).until(() -> text(out).contains("step=30")
                    && text(err).lines().count() == 2 && text(out).contains("run-b"));
                consumer.stop();
                assertThat(running.get(30, TimeUnit.SECONDS)).isEqualTo(8);
            }
        }

        List<String> lines = text(out).lines().toList();
        assertThat(lines).hasSize(8).doesNotHaveDuplicates();
        assertThat(lines).filteredOn(l -> l.startsWith("run=\"run-a\" step=20 ")).hasSize(2);
        assertThat(lines).contains("run=\"run-a\" step=10 key=\"train.accuracy\" value=0.1 ts=1010");
        assertThat(lines.stream().filter(l -> l.startsWith("run=\"run-a\"")).map(l -> l.split(" ")[1]).toList())
            .as("per-run order").containsExactly("step=10", "step=10", "step=20", "step=20", "step=30", "step=30");
        assertThat(text(err)).contains("violates training-metrics.v1.json", "required property 'step'")
            .contains("ce_type dev.trainstream.checkpoint-created.v1 is not " + MetricsConsumer.CE_TYPE);
    }

    private static TrainingMetrics metrics(String runId, long step) {
        long at = 1000 + step;
        return new TrainingMetrics(runId, List.of(new MetricRecord("train.loss", 2.3 / step, at, step),
            new MetricRecord("train.accuracy", step / 100.0, at, step)));
    }

    private static void publishRaw(String bootstrap, String key, String ceType, String json) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(MetricsConsumer.TOPIC, key,
                json.getBytes(StandardCharsets.UTF_8));
            record.headers().add("ce_type", ceType.getBytes(StandardCharsets.UTF_8));
            record.headers().add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
            record.headers().add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
            producer.send(record).get(30, TimeUnit.SECONDS);
        }
    }

    private static String text(ByteArrayOutputStream stream) {
        return stream.toString(StandardCharsets.UTF_8);
    }
}
