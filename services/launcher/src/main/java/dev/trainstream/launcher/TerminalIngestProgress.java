package dev.trainstream.launcher;

import dev.trainstream.ingest.IngestProgress;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Ingest progress as a redrawn one-line bar on a terminal (phase, MB uploaded, rate, ETA), and as plain log lines when
 * the output is not a terminal (CI, containers, pipes).
 */
final class TerminalIngestProgress implements IngestProgress {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final long started = System.nanoTime();
    private long lastDraw;

    private TerminalIngestProgress(PrintStream out) {
        this.out = out;
    }

    /** A bar when stdout is a terminal, log lines otherwise. */
    static IngestProgress forConsole() {
        return System.console() != null ? new TerminalIngestProgress(System.out) : IngestProgress.logging();
    }

    @Override
    public synchronized void phase(String description) {
        out.print("\r\033[K");
        out.println(description);
    }

    @Override
    public synchronized void uploaded(long bytesUploaded, long bytesTotal) {
        long now = System.nanoTime();
        if (now - lastDraw < 100_000_000L && bytesUploaded < bytesTotal) {
            return;
        }
        lastDraw = now;
        out.print("\r\033[K" + render(bytesUploaded, bytesTotal, (now - started) / 1e9));
        if (bytesUploaded >= bytesTotal) {
            out.println();
        }
        out.flush();
    }

    @Override
    public synchronized void epochPublished(int epoch, int done, int total, int batches) {
        out.print("\r\033[K" + bar(done, total) + String.format(Locale.ROOT,
            " epoch %d published, %d/%d of this run (%d batches)", epoch, done, total, batches));
        if (done == total) {
            out.println();
        }
        out.flush();
    }

    static String render(long done, long total, double seconds) {
        double rate = done / 1e6 / Math.max(1e-3, seconds);
        double eta = rate <= 0 ? 0 : (total - done) / 1e6 / rate;
        return bar(done, total) + String.format(Locale.ROOT, " %.1f/%.1f MB uploaded, %.1f MB/s, ETA %.0f s", done / 1e6,
            total / 1e6, rate, eta);
    }

    static String bar(long done, long total) {
        int filled = total <= 0 ? WIDTH : (int) Math.min(WIDTH, WIDTH * done / total);
        return "[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "]";
    }
}
