package dev.trainstream.trainer;

import dev.trainstream.events.BatchStreamEvent;
import dev.trainstream.events.codec.EventCodec;
import dev.trainstream.events.produce.DeadLetters;
import dev.trainstream.events.consume.TypedConsumer;
import dev.trainstream.events.produce.EventPublisher;
import dev.trainstream.events.topics.TopicAdmin;
import dev.trainstream.events.topics.Topics;
import dev.trainstream.storage.ObjectStore;
import dev.trainstream.storage.RetryPolicy;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka and S3 clients of one trainer run, opened together (topics ensured, bucket ensured) and closed in reverse
 * order of opening, so the run's loop never deals with wiring.
 */
final class TrainerClients implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TrainerClients.class);

    final ObjectStore objects;
    final EventPublisher publisher;
    final DeadLetters deadLetters;
    final TypedConsumer<BatchStreamEvent> consumer;

    private TrainerClients(ObjectStore objects, EventPublisher publisher, DeadLetters deadLetters,
                           TypedConsumer<BatchStreamEvent> consumer) {
        this.objects = objects;
        this.publisher = publisher;
        this.deadLetters = deadLetters;
        this.consumer = consumer;
    }

    /** Opens every client; whatever was opened is closed again if a later one fails. */
    static TrainerClients open(TrainerConfig config, EventCodec codec) {
        TopicAdmin.ensureTopics(config.kafkaBootstrap(), List.copyOf(Topics.all()), config.topicReplication());
        ObjectStore objects = ObjectStore.connect(config.s3(), RetryPolicy.standard());
        EventPublisher publisher = null;
        DeadLetters deadLetters = null;
        try {
            objects.ensureBucket();
            publisher = EventPublisher.create(config.kafkaBootstrap(), codec, "trainstream-trainer-" + config.runId());
            deadLetters = DeadLetters.create(config.kafkaBootstrap(), codec, "trainer/" + config.runId());
            TypedConsumer<BatchStreamEvent> consumer = TypedConsumer.builder(Topics.BATCHES)
                .bootstrap(config.kafkaBootstrap()).groupId(config.consumerGroup())
                .clientId("trainstream-trainer-" + config.runId()).codec(codec).deadLetters(deadLetters)
                .fromBeginning(true).isolationReadCommitted(true).subscribe(false).extra(pollLimit(config.prefetch()))
                .build();
            return new TrainerClients(objects, publisher, deadLetters, consumer);
        } catch (RuntimeException e) {
            closeQuietly(deadLetters);
            closeQuietly(publisher);
            closeQuietly(objects);
            throw e;
        }
    }

    /** At most {@code prefetch} records per poll, so the look-ahead never holds more prepared batches than asked. */
    private static Properties pollLimit(int prefetch) {
        Properties props = new Properties();
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, prefetch);
        return props;
    }

    @Override
    public void close() {
        closeQuietly(consumer);
        closeQuietly(deadLetters);
        closeQuietly(publisher);
        closeQuietly(objects);
    }

    /** Closing is best effort: what was to be committed or published already was, so a failure here only logs. */
    static void closeQuietly(AutoCloseable resource) {
        if (resource == null) {
            return;
        }
        try {
            resource.close();
        } catch (Exception e) {
            LOG.warn("closing {} failed: {}", resource.getClass().getSimpleName(), e.toString());
        }
    }
}
