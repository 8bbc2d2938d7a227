package dev.trainstream.dashboard.feed;

import dev.trainstream.dashboard.view.RunChange;
import dev.trainstream.dashboard.view.RunRegistry;
import dev.trainstream.events.TrainstreamEvent;
import dev.trainstream.events.codec.EventCodec;
import dev.trainstream.events.produce.DeadLetters;
import dev.trainstream.events.consume.Received;
import dev.trainstream.events.produce.PublishException;
import dev.trainstream.events.topics.Topic;
import dev.trainstream.events.topics.TopicAdmin;
import dev.trainstream.events.topics.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays the metric, checkpoint, evaluation and run topics from the beginning into a {@link RunRegistry}, then
 * follows them, on its own thread (never an event loop). Every instance reads every partition (assign, not subscribe)
 * and never commits, so each dashboard replica shows the whole history and a restart rebuilds it.
 */
public final class EventFeed implements AutoCloseable {
    /** The topics the dashboard shows. */
    public static final List<Topic<?>> TOPICS = List.of(Topics.RUNS, Topics.METRICS, Topics.CHECKPOINTS,
        Topics.EVALUATIONS);
    private static final Logger LOG = LoggerFactory.getLogger(EventFeed.class);
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(15);

    private final FeedSettings settings;
    private final RunRegistry registry;
    private final Consumer<RunChange> onChange;
    private final MeterRegistry meters;
    private final DeadLetters deadLetters;
    private final List<FeedPartitions<?>> feeds;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean caughtUp;

    private EventFeed(FeedSettings settings, RunRegistry registry, Consumer<RunChange> onChange, MeterRegistry meters,
                      DeadLetters deadLetters, List<FeedPartitions<?>> feeds) {
        this.settings = settings;
        this.registry = registry;
        this.onChange = onChange;
        this.meters = meters;
        this.deadLetters = deadLetters;
        this.feeds = feeds;
        this.thread = new Thread(this::run, "dashboard-feed");
        this.thread.setDaemon(true);
    }

    /**
     * Creates missing topics, assigns every partition of {@link #TOPICS} from the beginning and starts following.
     *
     * @throws IllegalStateException if the topics cannot be created or described (Kafka unreachable: fatal for a start)
     */
    public static EventFeed start(FeedSettings settings, RunRegistry registry, Consumer<RunChange> onChange,
                                  MeterRegistry meters) {
        TopicAdmin.ensureTopics(settings.bootstrap(), TOPICS, settings.topicReplication());
        EventCodec codec = EventCodec.create("/trainstream/dashboard");
        DeadLetters deadLetters = DeadLetters.create(settings.bootstrap(), codec, "dashboard");
        List<FeedPartitions<?>> feeds = new ArrayList<>();
        try {
            for (Topic<?> topic : TOPICS) {
                feeds.add(FeedPartitions.open(topic, settings, codec, deadLetters));
            }
        } catch (RuntimeException e) {
            feeds.forEach(FeedPartitions::close);
            deadLetters.close();
            throw e;
        }
        EventFeed feed = new EventFeed(settings, registry, onChange, meters, deadLetters, feeds);
        feed.thread.start();
        return feed;
    }

    /** True once everything that was on the topics when the feed started has been applied. */
    public boolean caughtUp() {
        return caughtUp;
    }

    /** Why the feed stopped following, if it hit a fatal error. */
    public Throwable failure() {
        return failure.get();
    }

    private void run() {
        try {
            while (running) {
                pollOnce();
            }
        } catch (WakeupException e) {
            if (running) {
                fail(e);
            }
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    private void pollOnce() {
        boolean allCaughtUp = true;
        for (FeedPartitions<?> feed : feeds) {
            try {
                apply(feed.poll(settings.pollTimeout()));
            } catch (PublishException | RetriableException e) {
                // The view is idempotent: on a lost dead letter replay the topic rather than skip its valid records.
                LOG.warn("Dashboard feed of {} hit a retriable error, replaying it after {}: {}", feed.topic(),
                    settings.retryBackoff(), e.toString());
                backOff();
                feed.rewind();
            }
            allCaughtUp &= feed.reachedStartEnd();
        }
        if (allCaughtUp && !caughtUp) {
            caughtUp = true;
            LOG.info("Dashboard feed caught up: {} runs", registry.size());
        }
    }

    private void apply(List<? extends Received<? extends TrainstreamEvent>> received) {
        for (Received<? extends TrainstreamEvent> r : received) {
            RunChange change = registry.apply(r.event());
            meters.counter("trainstream_dashboard_events_total", "topic", r.topic()).increment();
            try {
                onChange.accept(change);
            } catch (RuntimeException e) {
                LOG.warn("Live update of run {} ({}) failed: {}", change.runId(), change.kind(), e.toString());
            }
        }
    }

    private void backOff() {
        try {
            Thread.sleep(settings.retryBackoff().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private void fail(Throwable e) {
        failure.set(e);
        LOG.error("Dashboard feed stopped: {}", e.toString(), e);
    }

    /** Stops the thread (waking a blocked poll) and closes the consumers and the dead-letter producer. */
    @Override
    public void close() {
        running = false;
        feeds.forEach(FeedPartitions::wakeup);
        try {
            thread.join(JOIN_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            feeds.forEach(FeedPartitions::close);
            deadLetters.close();
        }
    }
}
