package dev.trainstream.ingest.timeline;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Times the phases of one ingest run from the threads that do them, so a breakdown shows which phases overlap and what
 * each costs in CPU (the figure that says what more cores would buy). Thread-safe: a phase may be worked on by
 * several threads at once (uploads); each piece is one try-with-resources block on one thread.
 */
public final class PhaseRecorder {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private final long origin = System.nanoTime();
    private final Map<String, Totals> phases = new LinkedHashMap<>();

    private static final class Totals {
        long start = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        long cpu;
        int pieces;
    }

    /** One piece of a phase on the calling thread; closing it adds its wall interval and thread CPU to the phase. */
    public final class Piece implements AutoCloseable {
        private final String phase;
        private final long start = System.nanoTime();
        private final long cpuStart = threadCpu();

        private Piece(String phase) {
            this.phase = phase;
        }

        @Override
        public void close() {
            long cpu = threadCpu() - cpuStart;
            long end = System.nanoTime();
            synchronized (PhaseRecorder.this) {
                Totals t = phases.computeIfAbsent(phase, p -> new Totals());
                t.start = Math.min(t.start, start - origin);
                t.end = Math.max(t.end, end - origin);
                t.cpu += cpu;
                t.pieces++;
            }
        }
    }

    public Piece start(String phase) {
        if (phase == null || phase.isBlank()) {
            throw new IllegalArgumentException("phase must be named");
        }
        return new Piece(phase);
    }

    /** Every phase with at least one finished piece, in the order they began. */
    public synchronized List<PhaseSpan> spans() {
        List<PhaseSpan> out = new ArrayList<>();
        phases.forEach((name, t) -> out.add(new PhaseSpan(name, t.start, t.end, t.cpu, t.pieces)));
        out.sort(Comparator.comparingLong(PhaseSpan::startNanos));
        return out;
    }

    private static long threadCpu() {
        return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : 0;
    }
}
