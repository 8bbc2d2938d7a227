package dev.trainstream.dashboard.view;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One metric of one run, keyed by step so a re-delivered sample replaces its twin; the oldest steps are dropped beyond
 * the capacity, which keeps a long run's memory bounded. Not thread-safe: {@link RunView} guards it.
 */
final class MetricSeries {
    private final int capacity;
    private final TreeMap<Long, MetricPoint> points = new TreeMap<>();

    MetricSeries(int capacity) {
        this.capacity = capacity;
    }

    void add(MetricPoint point) {
        points.put(point.step(), point);
        while (points.size() > capacity) {
            points.pollFirstEntry();
        }
    }

    /** Points with a step strictly greater than {@code since}, in step order. */
    List<MetricPoint> after(long since) {
        return new ArrayList<>(points.tailMap(since, false).values());
    }

    long lastStep() {
        Map.Entry<Long, MetricPoint> last = points.lastEntry();
        return last == null ? -1 : last.getKey();
    }

    int size() {
        return points.size();
    }
}
