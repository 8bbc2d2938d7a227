package dev.trainstream.evaluator;

import dev.trainstream.events.CheckpointCreated;
import dev.trainstream.events.EvaluationCompleted;
import dev.trainstream.events.EvaluationFailed;
import dev.trainstream.events.EvaluationOutcome;
import dev.trainstream.events.ModelPromoted;
import dev.trainstream.events.codec.EventCodec;
import dev.trainstream.events.consume.Received;
import dev.trainstream.events.consume.TypedConsumer;
import dev.trainstream.events.produce.DeadLetters;
import dev.trainstream.events.produce.EventPublisher;
import dev.trainstream.events.topics.TopicAdmin;
import dev.trainstream.events.topics.Topics;
import dev.trainstream.ops.lifecycle.Service;
import dev.trainstream.storage.ObjectStore;
import dev.trainstream.storage.ObjectUri;
import dev.trainstream.storage.RetryPolicy;
import dev.trainstream.storage.checkpoint.BestModelStore;
import dev.trainstream.storage.checkpoint.CheckpointLayout;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The evaluator loop. For each checkpoint event, in partition order:
 * <ol>
 *   <li>if the result object ({@code step-N.eval.json} beside the checkpoint) exists for the same sha256, skip it:
 *       the result is written <em>last</em>, so its presence proves the evaluation event (and any promotion) was
 *       already published — a re-delivered or re-balanced event is neither scored nor announced twice;</li>
 *   <li>otherwise score it; if the gate promotes it, replace the run's {@code best.json} only at the version the
 *       decision was made against ({@link Promoter}: safe with two evaluators); publish {@link EvaluationCompleted}
 *       with the final verdict, then {@link ModelPromoted};</li>
 *   <li>write the result object, then commit the offset.</li>
 * </ol>
 * A crash between publishing and writing the result re-scores that checkpoint on re-delivery and publishes its event
 * again (at-least-once: consumers treat (runId, checkpointUri) as the identity). A checkpoint that is missing, corrupt
 * or incompatible yields {@link EvaluationFailed} plus a dead letter, and the loop goes on. S3 or Kafka being
 * unreachable is not the checkpoint's fault: that error ends {@link #run()} without committing, so the event is
 * re-read after a restart. Neither is an engine failure (a device error, out of device memory): it is retried
 * {@link EngineRetry#ATTEMPTS} times with backoff, not ready meanwhile, and if it persists, or the checkpoint is of a newer
 * format than this build reads, {@link #run()} ends with that error and the event uncommitted: a good checkpoint never
 * gets an evaluation-failed event for the evaluator's own trouble. When behind by more than {@link EvaluatorConfig#catchUpNewestOnlyWhenBehind()} events,
 * only each run's newest checkpoint in the backlog is scored ({@link CatchUpPlan}). Between checkpoints, and again
 * after scoring one, the consumer tells the group it is alive ({@link TypedConsumer#keepAlive()}), so
 * {@code max.poll.interval.ms} bounds one checkpoint's scoring rather than a poll's worth; a checkpoint whose
 * partition moved to another evaluator meanwhile is left to it, unpublished and uncommitted.
 * <p>Longer than the ~250 lines a class should have, on purpose: the order above (score, promote, publish, store,
 * commit) and the ownership checks between its steps are the evaluator's contract, kept in one place to be read at
 * once; the parts that are not ordering live beside it ({@link EngineRetry}, {@link Promoter}, {@link ResultObjects},
 * {@link CatchUpPlan}).
 */
public final class EvaluatorRun implements Service<EvaluatorSummary> {
    private static final Logger LOG = LoggerFactory.getLogger(EvaluatorRun.class);
    private static final Duration POLL = Duration.ofMillis(500);
    /** Kafka's default {@code max.request.size}, which the publisher keeps. */
    private static final int RECORD_LIMIT_BYTES = 1 << 20;
    /** Upper bound on draining a backlog before applying the catch-up plan, so a live stream cannot stall it. */
    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(30);

    private final EvaluatorConfig config;
    private final Consumer<EvaluationOutcome> listener;
    private final Clock clock = Clock.systemUTC();
    private final EventCodec codec = EventCodec.create("/trainstream/evaluator");
    private final AtomicBoolean stopRequested = new AtomicBoolean();
    private final AtomicBoolean ready = new AtomicBoolean();
    private final EvaluatorMeters meters;
    private ObjectStore objects;
    private BestModelStore best;
    private Promoter promoter;
    private EngineRetry engine;
    private ResultObjects results;
    private EventPublisher publisher;
    private DeadLetters deadLetters;
    private volatile TypedConsumer<CheckpointCreated> consumer;
    private long scored;
    private long failed;
    private long promotions;
    private long skipped;

    /** @param listener hears every outcome this instance publishes, after it is published (the local mode prints them) */
    public EvaluatorRun(EvaluatorConfig config, MeterRegistry registry, Consumer<EvaluationOutcome> listener) {
        if (config == null || registry == null || listener == null) {
            throw new IllegalArgumentException("config, registry and listener must be set");
        }
        this.config = config;
        this.listener = listener;
        this.meters = new EvaluatorMeters(registry);
    }

    @Override
    public String name() {
        return "evaluator";
    }

    /** Asks {@link #run()} to return after the checkpoint in hand; safe from any thread. */
    @Override
    public void requestStop() {
        stopRequested.set(true);
        TypedConsumer<CheckpointCreated> current = consumer;
        if (current != null) {
            current.wakeup();
        }
    }

    @Override
    public boolean ready() {
        return ready.get();
    }

    /** Connects, then evaluates checkpoints until {@link #requestStop()}; returns what this instance did. */
    @Override
    public EvaluatorSummary run() {
        TopicAdmin.ensureTopics(config.kafkaBootstrap(), List.copyOf(Topics.all()), config.topicReplication());
        objects = ObjectStore.connect(config.s3(), RetryPolicy.standard());
        objects.ensureBucket();
        best = new BestModelStore(objects);
        publisher = EventPublisher.create(config.kafkaBootstrap(), codec, "trainstream-evaluator");
        deadLetters = DeadLetters.create(config.kafkaBootstrap(), codec, "evaluator");
        consumer = TypedConsumer.builder(Topics.CHECKPOINTS).bootstrap(config.kafkaBootstrap()).groupId(config.groupId())
            .clientId("trainstream-evaluator").codec(codec).deadLetters(deadLetters).fromBeginning(true).build();
        CheckpointEvaluation evaluation = new CheckpointEvaluation(objects, best, config, clock);
        promoter = new Promoter(best, config.gate(), clock);
        engine = new EngineRetry(evaluation, ready, stopRequested::get);
        results = new ResultObjects(objects, codec);
        ready.set(true);
        try {
            while (!stopRequested.get()) {
                List<Received<CheckpointCreated>> batch = new ArrayList<>(consumer.poll(POLL));
                long lag = lag(batch.size());
                if (config.catchUpEnabled() && lag > config.catchUpNewestOnlyWhenBehind()) {
                    drainBacklog(batch);
                    lag = lag(batch.size());
                }
                meters.lag(lag);
                CatchUpPlan plan = CatchUpPlan.of(batch, lag, config.catchUpNewestOnlyWhenBehind());
                if (plan.active()) {
                    LOG.info("{} checkpoint events behind (threshold {}): scoring only the newest checkpoint per run "
                        + "among {} in hand", lag, config.catchUpNewestOnlyWhenBehind(), batch.size());
                }
                for (Received<CheckpointCreated> received : batch) {
                    if (stopRequested.get()) {
                        break;
                    }
                    if (!stillHeld(received, "before scoring")) {
                        continue;
                    }
                    if (plan.shouldScore(received)) {
                        Handled handled = handle(received);
                        if (handled == Handled.STOPPED) {
                            break;
                        }
                        if (handled == Handled.LEFT_TO_NEW_OWNER) {
                            continue;
                        }
                    } else {
                        LOG.info("catching up: not scoring checkpoint {} of run {} (step {}, partition {} offset {}); "
                            + "a newer checkpoint of the run is in the backlog", received.event().checkpointUri(),
                            received.event().runId(), received.event().step(), received.partition(), received.offset());
                        meters.caughtUp();
                    }
                    lag = Math.max(0, lag - 1);
                    meters.lag(lag);
                    commit(received);
                }
            }
        } catch (WakeupException e) {
            if (!stopRequested.get()) {
                throw e;
            }
        } finally {
            ready.set(false);
        }
        return new EvaluatorSummary(scored, failed, promotions, skipped);
    }

    /** Events this instance has not handled: those in hand plus those still on the broker for its partitions. */
    private long lag(int inHand) {
        return inHand + consumer.backlog();
    }

    /** Polls until this instance holds every event that was on the broker when it looked (bounded in time). */
    private void drainBacklog(List<Received<CheckpointCreated>> batch) {
        Map<Integer, Long> end = consumer.endOffsets();
        long deadline = System.nanoTime() + DRAIN_LIMIT.toNanos();
        while (!stopRequested.get() && System.nanoTime() < deadline && !consumer.reached(end)) {
            batch.addAll(consumer.poll(Duration.ofMillis(200)));
        }
    }

    /** What became of one checkpoint event. */
    private enum Handled {
        /** Scored, failed or skipped: commit past it. */
        DONE,
        /** A stop came while an engine failure was retried: nothing to commit, leave the loop. */
        STOPPED,
        /** Its partition moved to another evaluator while it was scored: nothing published, nothing committed. */
        LEFT_TO_NEW_OWNER
    }

    /**
     * Keeps the group membership alive between checkpoints and says whether {@code received}'s partition is still
     * this instance's; one that moved is left, unpublished and uncommitted, to its new owner.
     */
    private boolean stillHeld(Received<CheckpointCreated> received, String when) {
        consumer.keepAlive();
        if (consumer.assignment().contains(received.partition())) {
            return true;
        }
        LOG.info("partition {} moved to another evaluator {}: leaving checkpoint {} (offset {}) to it",
            received.partition(), when, received.event().checkpointUri(), received.offset());
        meters.leftToNewOwner();
        return false;
    }

    /** Handles one checkpoint event. */
    private Handled handle(Received<CheckpointCreated> received) {
        CheckpointCreated event = received.event();
        String resultKey;
        try {
            resultKey = CheckpointLayout.evaluationKey(event.runId(), ObjectUri.parse(event.checkpointUri()).key());
        } catch (IllegalArgumentException e) {
            fail(received, e.getMessage());
            return Handled.DONE;
        }
        if (results.holds(resultKey, event)) {
            LOG.info("checkpoint {} of run {} already scored ({} exists, so its evaluation event was published); "
                + "skipping partition {} offset {}", event.checkpointUri(), event.runId(), resultKey,
                received.partition(), received.offset());
            meters.alreadyScored();
            skipped++;
            return Handled.DONE;
        }
        long started = System.nanoTime();
        EvaluationCompleted result;
        try {
            result = engine.score(received);
        } catch (EvaluationException e) {
            fail(received, e.getMessage());
            return Handled.DONE;
        }
        if (result == null) {
            return Handled.STOPPED;
        }
        if (!stillHeld(received, "while it was scored")) {
            return Handled.LEFT_TO_NEW_OWNER;
        }
        int encoded = codec.encode(Topics.EVALUATIONS, result).value().length;
        if (encoded > RECORD_LIMIT_BYTES) {
            // Within the class bounds only a test set of tens of millions of images gets here; never crash-loop on it.
            fail(received, "its evaluation event would be " + encoded + " bytes, over Kafka's record limit of "
                + RECORD_LIMIT_BYTES + " (" + result.classes().size() + " classes, " + result.examples()
                + " test images)");
            return Handled.DONE;
        }
        // The pointer is replaced (conditionally) before the verdict is published, so the verdict is the final one.
        Promoter.Outcome outcome = result.gate().promoted() ? promoter.promote(event, result)
            : new Promoter.Outcome(result, Optional.empty());
        result = outcome.evaluation();
        publisher.publish(Topics.EVALUATIONS, result);
        listener.accept(result);
        outcome.promotion().ifPresent(this::announce);
        results.store(resultKey, result);
        meters.completed(System.nanoTime() - started);
        scored++;
        LOG.info("run {} step {}: test accuracy {} (loss {}, {} images, {} img/s); {}", event.runId(), event.step(),
            String.format(Locale.ROOT, "%.4f", result.accuracy()),
            String.format(Locale.ROOT, "%.4f", result.meanLoss()), result.examples(),
            String.format(Locale.ROOT, "%.0f", result.imagesPerSecond()), result.gate().reason());
        return Handled.DONE;
    }

    private void announce(ModelPromoted promoted) {
        publisher.publish(Topics.EVALUATIONS, promoted);
        meters.promoted();
        promotions++;
        listener.accept(promoted);
        LOG.info("run {}: checkpoint {} (step {}) is the new best model (accuracy {}, was {})", promoted.runId(),
            promoted.checkpointUri(), promoted.step(), promoted.accuracy(),
            promoted.previousAccuracy() == null ? "none" : promoted.previousAccuracy());
    }

    private void fail(Received<CheckpointCreated> received, String reason) {
        CheckpointCreated event = received.event();
        LOG.warn("checkpoint {} of run {} (topic {} partition {} offset {}) cannot be evaluated: {}",
            event.checkpointUri(), event.runId(), received.topic(), received.partition(), received.offset(), reason);
        EvaluationFailed outcome = new EvaluationFailed(event.runId(), event.checkpointUri(), event.step(), reason,
            clock.instant());
        publisher.publish(Topics.EVALUATIONS, outcome);
        deadLetters.reject(received.topic(), received.partition(), received.offset(), event.runId(), event, reason);
        meters.failed();
        failed++;
        listener.accept(outcome);
    }

    /** Commits past {@code received}; if its partition moved to another instance, that one re-reads and skips it. */
    private void commit(Received<CheckpointCreated> received) {
        try {
            // A stop that woke the consumer while it was scoring does not lose this: the evaluation in hand commits.
            consumer.commit(Map.of(received.partition(), received.offset() + 1), null);
        } catch (CommitFailedException | RebalanceInProgressException e) {
            LOG.warn("offset {} of partition {} not committed ({}); its new owner will find the result and skip it",
                received.offset() + 1, received.partition(), e.getMessage());
        }
    }

    /** Closes in reverse order of opening; called by the thread that ran {@link #run()}. */
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
