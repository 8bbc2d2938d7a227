package dev.trainstream.ingest.publish;

import dev.trainstream.events.topics.Topics;
import dev.trainstream.ingest.IngestFailure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backpressure: holds epoch {@code e} back until the slowest trainer group has committed past the marker of epoch
 * {@code e - maxEpochsAhead}, so at most {@code maxEpochsAhead} epochs are published and not yet trained. A dataset
 * no trainer has committed on yet counts as unread: the first {@code maxEpochsAhead} epochs go out, then ingest waits
 * for a trainer to appear. A group whose last commit is older than {@code staleAfter} is an abandoned run and does not
 * count (a live trainer that is behind is training, so it commits at every checkpoint); a group whose commits carry no
 * stamp always counts. It waits outside any transaction, so an epoch is never held open while waiting.
 */
public final class EpochGate {
    private static final Logger LOG = LoggerFactory.getLogger(EpochGate.class);
    /** While nothing changes, repeat the waiting line this often so a log shows ingest is alive and why it waits. */
    private static final Duration REPEAT = Duration.ofSeconds(30);

    private final int maxEpochsAhead;
    private final TrainerPositions trainers;
    private final Duration pollInterval;
    private final Duration staleAfter;
    private final Clock clock;
    private final Consumer<String> waiting;

    private EpochGate(int maxEpochsAhead, TrainerPositions trainers, Duration pollInterval, Duration staleAfter,
                      Clock clock, Consumer<String> waiting) {
        this.maxEpochsAhead = maxEpochsAhead;
        this.trainers = trainers;
        this.pollInterval = pollInterval;
        this.staleAfter = staleAfter;
        this.clock = clock;
        this.waiting = waiting;
    }

    /** No limit: every epoch goes out at once. */
    public static EpochGate unbounded() {
        return new EpochGate(0, null, Duration.ofSeconds(1), Duration.ZERO, Clock.systemUTC(), line -> { });
    }

    /**
     * @param trainers   the trainers' committed positions (over an admin client the caller closes)
     * @param staleAfter a group with no commit for longer than this is ignored; zero = every group counts
     * @param clock      ingest's clock, against which commit stamps are aged
     * @param waiting    hears a line saying what ingest waits for, when it starts waiting and when that changes
     */
    public static EpochGate bounded(int maxEpochsAhead, TrainerPositions trainers, Duration pollInterval,
                                    Duration staleAfter, Clock clock, Consumer<String> waiting) {
        if (maxEpochsAhead < 1) {
            throw new IllegalArgumentException("a bounded gate needs max epochs ahead >= 1, was " + maxEpochsAhead);
        }
        if (staleAfter == null || staleAfter.isNegative()) {
            throw new IllegalArgumentException("stale-after must be >= 0 (0 = never stale), was " + staleAfter);
        }
        return new EpochGate(maxEpochsAhead, trainers, pollInterval, staleAfter, clock, waiting);
    }

    /**
     * Returns once {@code epoch} may be published (true) or once {@code stop} is released while waiting (false); throws
     * IngestFailure on a non-retriable Kafka error.
     */
    public boolean awaitTurn(int epoch, PublishedEpochs published, CountDownLatch stop) throws InterruptedException {
        int mustBeTrained = epoch - maxEpochsAhead;
        if (maxEpochsAhead == 0 || mustBeTrained < 0) {
            return true;
        }
        Optional<EpochMarker> found = published.marker(mustBeTrained);
        if (found.isEmpty()) {
            // Epochs of this dataset are continued from the topic, so a missing marker has left it (retention).
            LOG.info("epoch {} of {}: the marker of epoch {} is no longer on {}, so no trainer can still read it; "
                + "not waiting", epoch, published.datasetId(), mustBeTrained, Topics.BATCHES.name());
            return true;
        }
        EpochMarker marker = found.get();
        String lastState = null;
        long lastLine = 0;
        while (true) {
            List<TrainerPositions.GroupOffset> groups = committed(marker.partition());
            Instant now = clock.instant();
            List<TrainerPositions.GroupOffset> stale = groups.stream().filter(g -> g.staleAt(now, staleAfter)).toList();
            Optional<TrainerPositions.GroupOffset> slowest = groups.stream().filter(g -> !stale.contains(g)).findFirst();
            if (slowest.isPresent() && marker.consumedAt(slowest.get().offset())) {
                if (lastState != null) {
                    waiting.accept("epoch " + epoch + " of " + published.datasetId() + " goes ahead: the slowest trainer "
                        + slowest.get().groupId() + " committed past epoch " + mustBeTrained);
                }
                return true;
            }
            String state = slowest.map(g -> "slowest: " + g.groupId() + " at offset " + g.offset())
                .orElse("no " + (stale.isEmpty() ? "" : "live ") + "trainer group has committed on partition "
                    + marker.partition() + " yet") + ignoring(stale);
            if (!state.equals(lastState) || System.nanoTime() - lastLine > REPEAT.toNanos()) {
                waiting.accept("waiting to publish epoch " + epoch + " of " + published.datasetId() + " (at most "
                    + maxEpochsAhead + " epochs ahead): every consumer group '" + trainers.groupPrefix()
                    + "*' must commit past epoch " + mustBeTrained + " (marker at " + Topics.BATCHES.name() + "-"
                    + marker.partition() + "@" + marker.offset() + "); " + state);
                lastState = state;
                lastLine = System.nanoTime();
            }
            if (stop.await(pollInterval.toNanos(), TimeUnit.NANOSECONDS)) {
                return false;
            }
        }
    }

    /** The part of the waiting line naming the abandoned groups left out, so an operator sees why they do not count. */
    private String ignoring(List<TrainerPositions.GroupOffset> stale) {
        if (stale.isEmpty()) {
            return "";
        }
        List<String> names = stale.stream().map(TrainerPositions.GroupOffset::groupId).toList();
        return "; ignoring " + stale.size() + " abandoned group" + (stale.size() == 1 ? "" : "s") + " (no commit for over "
            + readable(staleAfter) + "): " + String.join(", ", names.subList(0, Math.min(3, names.size())))
            + (names.size() > 3 ? ", ..." : "");
    }

    private static String readable(Duration d) {
        return d.toSeconds() % 60 == 0 ? d.toMinutes() + " min" : d.toSeconds() + " s";
    }

    private List<TrainerPositions.GroupOffset> committed(int partition) throws InterruptedException {
        try {
            return trainers.committed(partition);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RetriableException) {
                // A coordinator moving or the broker restarting: ask again at the next poll.
                LOG.warn("reading the trainers' committed offsets failed (retrying): {}", e.getCause().toString());
                return List.of();
            }
            throw new IngestFailure("reading the trainers' committed offsets on " + Topics.BATCHES.name() + " failed: "
                + e.getCause(), e.getCause());
        }
    }
}
