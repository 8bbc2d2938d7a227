package dev.trainstream.evaluator;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainstream.events.CheckpointCreated;
import dev.trainstream.events.EvaluationCompleted;
import dev.trainstream.events.EvaluationFailed;
import dev.trainstream.events.EvaluationOutcome;
import dev.trainstream.events.codec.EventCodec;
import dev.trainstream.events.consume.DeadLetterPublisher;
import dev.trainstream.events.consume.Received;
import dev.trainstream.events.consume.TypedConsumer;
import dev.trainstream.events.produce.EventPublisher;
import dev.trainstream.events.topics.TopicAdmin;
import dev.trainstream.events.topics.Topics;
import dev.trainstream.storage.ObjectStore;
import dev.trainstream.storage.ObjectUri;
import dev.trainstream.storage.RetryPolicy;
import dev.trainstream.storage.checkpoint.CheckpointLayout;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The evaluator loop: for each checkpoint event, score it (unless its result object already exists), publish the
 * evaluation event, store the result beside the checkpoint, promote it if it passes the gate, then commit the offset.
 * An unusable checkpoint yields an evaluation-failed event and a dead letter; the loop goes on.
 */
public final class EvaluatorRun implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EvaluatorRun.class);

    private final EvaluatorConfig config;
    private final Consumer<EvaluationOutcome> listener;
    private final Clock clock = Clock.systemUTC();
    private final EventCodec codec = EventCodec.create("/trainstream/evaluator");
    private final ObjectMapper json = EventCodec.newMapper();
    private final AtomicBoolean stopRequested = new AtomicBoolean();
    private final AtomicBoolean ready = new AtomicBoolean();
    private final Counter done;
    private final Counter failed;
    private final Timer duration;
    private ObjectStore objects;
    private EventPublisher publisher;
    private DeadLetterPublisher deadLetters;
    private TypedConsumer<CheckpointCreated> consumer;

    /** @param listener hears every outcome this instance publishes (the local mode prints them) */
    public EvaluatorRun(EvaluatorConfig config, MeterRegistry registry, Consumer<EvaluationOutcome> listener) {
        this.config = config;
        this.listener = listener;
        this.done = Counter.builder("trainstream_evaluator_evaluations").tag("outcome", "completed").register(registry);
        this.failed = Counter.builder("trainstream_evaluator_evaluations").tag("outcome", "failed").register(registry);
        this.duration = Timer.builder("trainstream_evaluator_duration").register(registry);
    }

    public void requestStop() {
        stopRequested.set(true);
        if (consumer != null) {
            consumer.wakeup();
        }
    }

    public boolean ready() {
        return ready.get();
    }

    /** Connects, then evaluates checkpoints until {@link #requestStop()}. */
    public void run() {
        TopicAdmin.ensureTopics(config.kafkaBootstrap(), List.copyOf(Topics.all()), config.topicReplication());
        objects = ObjectStore.connect(config.s3(), RetryPolicy.standard());
        objects.ensureBucket();
        publisher = EventPublisher.create(config.kafkaBootstrap(), codec, "trainstream-evaluator");
        deadLetters = DeadLetterPublisher.create(config.kafkaBootstrap(), codec, "evaluator");
        consumer = TypedConsumer.builder(Topics.CHECKPOINTS).bootstrap(config.kafkaBootstrap()).groupId(config.groupId())
            .clientId("trainstream-evaluator").codec(codec).deadLetters(deadLetters).fromBeginning(true).build();
        CheckpointEvaluation evaluation = new CheckpointEvaluation(objects, config, json, clock);
        ready.set(true);
        try {
            while (!stopRequested.get()) {
                for (Received<CheckpointCreated> received : consumer.poll(Duration.ofMillis(500))) {
                    handle(evaluation, received);
                    consumer.kafka().commitSync(Map.of(new TopicPartition(received.topic(), received.partition()),
                        new OffsetAndMetadata(received.offset() + 1)));
                }
            }
        } catch (org.apache.kafka.common.errors.WakeupException e) {
            if (!stopRequested.get()) {
                throw e;
            }
        }
    }

    private void handle(CheckpointEvaluation evaluation, Received<CheckpointCreated> received) {
        CheckpointCreated event = received.event();
        String resultKey;
        try {
            resultKey = CheckpointLayout.evaluationKey(ObjectUri.parse(event.checkpointUri()).key());
        } catch (IllegalArgumentException e) {
            fail(received, e.getMessage());
            return;
        }
        if (objects.exists(resultKey)) {
            LOG.info("checkpoint {} already scored ({} exists); skipping", event.checkpointUri(), resultKey);
            return;
        }
        long started = System.nanoTime();
        EvaluationCompleted result;
        try {
            result = evaluation.score(event);
        } catch (EvaluationException e) {
            fail(received, e.getMessage());
            return;
        }
        publisher.publish(Topics.EVALUATIONS, result);
        objects.put(resultKey, codec.toJson(result), "application/json");
        if (result.gate().promoted()) {
            promote(event, result);
        }
        duration.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        done.increment();
        LOG.info("run {} step {}: test accuracy {} (loss {}, {} images, {} img/s); {}", event.runId(), event.step(),
            String.format("%.4f", result.accuracy()), String.format("%.4f", result.meanLoss()), result.examples(),
            String.format("%.0f", result.imagesPerSecond()), result.gate().reason());
        listener.accept(result);
    }

    private void promote(CheckpointCreated event, EvaluationCompleted result) {
        BestModelPointer pointer = new BestModelPointer(event.runId(), event.checkpointUri(), event.sha256(), event.step(),
            event.epoch(), result.accuracy(), result.meanLoss(), clock.instant());
        try {
            objects.put(CheckpointLayout.bestPointerKey(event.runId()), json.writeValueAsBytes(pointer), "application/json");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise best-model pointer of run " + event.runId(), e);
        }
    }

    private void fail(Received<CheckpointCreated> received, String reason) {
        CheckpointCreated event = received.event();
        LOG.warn("checkpoint {} of run {} (topic {} partition {} offset {}) cannot be evaluated: {}",
            event.checkpointUri(), event.runId(), received.topic(), received.partition(), received.offset(), reason);
        EvaluationFailed outcome = new EvaluationFailed(event.runId(), event.checkpointUri(), event.step(), reason,
            clock.instant());
        publisher.publish(Topics.EVALUATIONS, outcome);
        publisher.publish(Topics.DEAD_LETTERS, new dev.trainstream.events.DeadLetter(received.topic(),
            received.partition(), received.offset(), event.runId(), "dev.trainstream.checkpoint-created.v1", reason,
            java.util.Base64.getEncoder().encodeToString(codec.toJson(event)), "evaluator", clock.instant()));
        failed.increment();
        listener.accept(outcome);
    }

    @Override
    public void close() {
        for (AutoCloseable resource : new AutoCloseable[] {consumer, deadLetters, publisher, objects}) {
            if (resource != null) {
                try {
                    resource.close();
                } catch (Exception e) {
                    LOG.warn("closing {} failed: {}", resource.getClass().getSimpleName(), e.toString());
                }
            }
        }
    }
}
