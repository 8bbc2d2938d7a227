package dev.trainstream.bench;

import dev.trainstream.ingest.IngestProgress;
import dev.trainstream.ingest.timeline.PhaseSpan;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An ingest run's phases as a timeline: the progress marks (wall seconds from the start, process CPU by then), and the
 * job's own phase spans (start, end, CPU of the threads that did them), so a breakdown shows which phases overlap and
 * what each costs in CPU, and from that the floor on 2 and on more cores. Upload progress is kept as its first and
 * last moment only.
 */
final class PhaseTimeline implements IngestProgress {
    private final long start = System.nanoTime();
    private final long cpuStart = ProcessMemory.cpuNanos();
    private final List<Mark> marks = new ArrayList<>();
    private Mark firstUpload;
    private Mark lastUpload;
    private List<PhaseSpan> spans = List.of();
    private Mark spansAt;

    private record Mark(double seconds, double cpuSeconds, String what) {
    }

    @Override
    public synchronized void phase(String description) {
        marks.add(mark(description));
    }

    @Override
    public synchronized void uploaded(long bytesUploaded, long bytesTotal) {
        Mark now = mark("uploaded " + bytesUploaded + " of " + bytesTotal + " bytes");
        if (firstUpload == null) {
            firstUpload = now;
        }
        lastUpload = now;
    }

    @Override
    public synchronized void epochPublished(int epoch, int done, int total, int batches) {
        marks.add(mark("epoch " + epoch + " committed (" + batches + " batch references)"));
    }

    @Override
    public synchronized void phases(List<PhaseSpan> phases) {
        spans = List.copyOf(phases);
        spansAt = mark("ingest done");
    }

    /** The marks in time order, each with the wall and CPU seconds since the previous one, then the phase spans. */
    synchronized String render() {
        List<Mark> all = new ArrayList<>(marks);
        if (firstUpload != null) {
            all.add(firstUpload);
            all.add(lastUpload);
        }
        all.sort((a, b) -> Double.compare(a.seconds(), b.seconds()));
        StringBuilder text = new StringBuilder("  t (s)   +wall   +cpu   phase\n");
        double wall = 0;
        double cpu = 0;
        for (Mark m : all) {
            text.append(String.format(Locale.ROOT, "  %6.2f  %6.2f  %5.2f   %s%n", m.seconds(), m.seconds() - wall,
                m.cpuSeconds() - cpu, m.what()));
            wall = m.seconds();
            cpu = m.cpuSeconds();
        }
        if (spansAt != null) {
            text.append(renderSpans());
        }
        return text.toString();
    }

    /**
     * The job's phases side by side, the overlap they achieved, and the floor: the reading thread (gzip is one
     * stream) cannot go faster than its own CPU time, and all the CPU the run used cannot go faster than spread over
     * every core.
     */
    private String renderSpans() {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
            "  phase                            start     end    wall  thread cpu%n"));
        double sumOfWalls = 0;
        double threadCpu = 0;
        double reading = 0;
        for (PhaseSpan span : spans) {
            text.append(String.format(Locale.ROOT, "  %-31s %6.2f  %6.2f  %6.2f  %6.2f%n", span.name(),
                span.startNanos() / 1e9, span.endNanos() / 1e9, span.wallNanos() / 1e9, span.threadCpuNanos() / 1e9));
            sumOfWalls += span.wallNanos() / 1e9;
            threadCpu += span.threadCpuNanos() / 1e9;
            if (span.name().equals("read")) {
                reading = span.threadCpuNanos() / 1e9;
            }
        }
        double run = spansAt.seconds();
        double processCpu = spansAt.cpuSeconds();
        text.append(String.format(Locale.ROOT, "  phases' walls add up to %.2f s in a run of %.2f s (%.2f s overlapped)%n",
            sumOfWalls, run, Math.max(0, sumOfWalls - run)));
        text.append(String.format(Locale.ROOT, "  process CPU %.2f s: %.2f s on the phases' threads, %.2f s elsewhere "
            + "(in-process S3 server and broker, GC, JIT)%n", processCpu, threadCpu, processCpu - threadCpu));
        int cores = Runtime.getRuntime().availableProcessors();
        StringBuilder floors = new StringBuilder();
        for (int n : new java.util.TreeSet<>(List.of(cores, 4, 8, 16))) {
            floors.append(String.format(Locale.ROOT, "%s%d cores %.2f s", floors.length() == 0 ? "" : ", ", n,
                Math.max(reading, processCpu / n)));
        }
        text.append("  floor (max of the reading thread's CPU and all CPU over n cores): ").append(floors).append('\n');
        return text.toString();
    }

    private Mark mark(String what) {
        return new Mark((System.nanoTime() - start) / 1e9, (ProcessMemory.cpuNanos() - cpuStart) / 1e9, what);
    }

}
