package dev.trainstream.bench;

import dev.trainstream.ingest.IngestProgress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An ingest run's phases as a timeline: when each phase began (wall seconds from the start) and how much process CPU
 * had been used by then, so a breakdown shows which phases run one after another and which overlap, and what each
 * costs in CPU (the figure that says what more cores would buy). Upload progress is kept as its first and last
 * moment only.
 */
final class PhaseTimeline implements IngestProgress {
    private final long start = System.nanoTime();
    private final long cpuStart = ProcessMemory.cpuNanos();
    private final List<Mark> marks = new ArrayList<>();
    private Mark firstUpload;
    private Mark lastUpload;

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

    /** The marks in time order, each with the wall and CPU seconds since the previous one. */
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
        return text.toString();
    }

    private Mark mark(String what) {
        return new Mark((System.nanoTime() - start) / 1e9, (ProcessMemory.cpuNanos() - cpuStart) / 1e9, what);
    }

}
