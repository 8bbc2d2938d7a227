package dev.trainstream.ingest;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Ingest progress as log lines, throttled so a big upload does not print thousands. */
final class LoggingIngestProgress implements IngestProgress {
    private static final Logger LOG = LoggerFactory.getLogger("trainstream.ingest");
    private final long started = System.nanoTime();
    private long lastUploadLog;

    @Override
    public void phase(String description) {
        LOG.info(description);
    }

    @Override
    public synchronized void uploaded(long bytesUploaded, long bytesTotal) {
        long now = System.nanoTime();
        if (now - lastUploadLog > 2_000_000_000L || bytesUploaded >= bytesTotal) {
            lastUploadLog = now;
            double seconds = Math.max(1e-3, (now - started) / 1e9);
            LOG.info(String.format(Locale.ROOT, "uploaded %.1f / %.1f MB (%.1f MB/s)", bytesUploaded / 1e6,
                bytesTotal / 1e6, bytesUploaded / 1e6 / seconds));
        }
    }

    @Override
    public void epochPublished(int epoch, int done, int total, int batches) {
        LOG.info("published epoch {} ({}/{} of this run): {} batch references", epoch, done, total, batches);
    }
}
