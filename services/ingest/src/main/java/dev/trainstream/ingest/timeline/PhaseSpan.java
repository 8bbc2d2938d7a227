package dev.trainstream.ingest.timeline;

/**
 * One phase of an ingest run: from the moment its first piece of work began to the moment its last ended (wall
 * clock, nanoseconds from the run's start) and the CPU time of the threads while they did that work. Phases that ran
 * side by side overlap in time; the CPU of servers in the same process (an embedded S3 server or broker) is in none.
 */
public record PhaseSpan(String name, long startNanos, long endNanos, long threadCpuNanos, int pieces) {
    public PhaseSpan {
        if (name == null || name.isBlank() || endNanos < startNanos || threadCpuNanos < 0 || pieces < 1) {
            throw new IllegalArgumentException("bad phase span " + name + " [" + startNanos + ", " + endNanos + "] cpu "
                + threadCpuNanos + " pieces " + pieces);
        }
    }

    public long wallNanos() {
        return endNanos - startNanos;
    }
}
