package dev.trainstream.examples.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers the most recent sample identities (runId, step, key) so a re-delivered sample is recognised; bounded,
 * forgetting the oldest first. Re-deliveries happen within a short window (a trainer restart replays the steps since
 * its last checkpoint), so a bounded memory is enough for this example; a store would upsert on the key instead.
 */
public final class SeenSamples {
    private final Map<String, Boolean> seen;

    public SeenSamples(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        }
        this.seen = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** True the first time a sample's identity is offered, false for a duplicate. */
    public boolean firstTime(MetricSample sample) {
        return seen.put(sample.identity(), Boolean.TRUE) == null;
    }
}
