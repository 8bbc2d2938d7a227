package dev.trainstream.dashboard;

import dev.trainstream.ops.lifecycle.Service;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * The dashboard as a {@link Service}, so it is hosted, stopped (SIGTERM included) and closed like every other service:
 * {@link #run()} starts the server and the feed, serves until a stop is requested, and {@link #close()} stops both
 * on the same thread.
 */
public final class DashboardService implements Service<Void> {
    private final DashboardConfig config;
    private final Consumer<Dashboard> listening;
    private final CountDownLatch stop = new CountDownLatch(1);
    private volatile Dashboard dashboard;

    /** @param listening hears the dashboard once it listens (the launcher prints its URL), on the service's thread */
    public DashboardService(DashboardConfig config, Consumer<Dashboard> listening) {
        if (config == null || listening == null) {
            throw new IllegalArgumentException("config and listener must be set");
        }
        this.config = config;
        this.listening = listening;
    }

    @Override
    public String name() {
        return "dashboard";
    }

    /** Starts the server and the feed, then serves until {@link #requestStop()}. */
    @Override
    public Void run() throws InterruptedException {
        dashboard = Dashboard.start(config);
        listening.accept(dashboard);
        stop.await();
        return null;
    }

    /** Listening and replayed all history present at start. */
    @Override
    public boolean ready() {
        Dashboard current = dashboard;
        return current != null && current.caughtUp();
    }

    /** The running dashboard once it listens (its URL, port, registry); empty before and after. */
    public Optional<Dashboard> dashboard() {
        return Optional.ofNullable(dashboard);
    }

    @Override
    public void requestStop() {
        stop.countDown();
    }

    @Override
    public void close() {
        Dashboard current = dashboard;
        dashboard = null;
        if (current != null) {
            current.close();
        }
    }
}
