package dev.trainstream.evaluator;

import dev.trainstream.events.CheckpointCreated;
import dev.trainstream.events.consume.Received;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which checkpoint events of a backlog to score: all of them normally, or — when the consumer is behind by more than
 * the configured threshold — only the newest (highest step, latest offset on a tie) checkpoint of each run, since an
 * older checkpoint's score is stale once a newer one of the same run is waiting.
 */
final class CatchUpPlan {
    private final boolean active;
    private final Map<String, Received<CheckpointCreated>> newestPerRun;

    private CatchUpPlan(boolean active, Map<String, Received<CheckpointCreated>> newestPerRun) {
        this.active = active;
        this.newestPerRun = newestPerRun;
    }

    /**
     * @param backlog   the events in hand, in consumption order
     * @param lag       events not yet handled (in hand plus still on the broker)
     * @param threshold catch-up threshold; 0 = off
     */
    static CatchUpPlan of(List<Received<CheckpointCreated>> backlog, long lag, long threshold) {
        if (threshold < 0 || lag < 0) {
            throw new IllegalArgumentException("threshold and lag must be >= 0, were " + threshold + " and " + lag);
        }
        if (threshold == EvaluatorConfig.CATCH_UP_OFF || lag <= threshold) {
            return new CatchUpPlan(false, Map.of());
        }
        Map<String, Received<CheckpointCreated>> newest = new HashMap<>();
        for (Received<CheckpointCreated> received : backlog) {
            newest.merge(received.event().runId(), received,
                (kept, candidate) -> candidate.event().step() >= kept.event().step() ? candidate : kept);
        }
        return new CatchUpPlan(true, newest);
    }

    /** Whether the newest-only policy applies to this backlog. */
    boolean active() {
        return active;
    }

    /** Whether to score this event (false: a newer checkpoint of its run is in the backlog). */
    boolean shouldScore(Received<CheckpointCreated> received) {
        return !active || newestPerRun.get(received.event().runId()) == received;
    }
}
