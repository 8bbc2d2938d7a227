package dev.trainstream.launcher;

import dev.trainstream.infra.LocalInfrastructure;
import dev.trainstream.ops.lifecycle.Service;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * The embedded Kafka broker and S3 server as a {@link Service}, so {@code trainstream infra} is hosted, stopped by
 * SIGTERM or Ctrl-C and closed like every other service: {@link #run()} starts both and serves until a stop is
 * requested, {@link #close()} (on the same thread) stops them, keeping their data in the work directory.
 */
final class InfraService implements Service<Void> {
    private final Path workDir;
    private final LocalInfrastructure.Ports ports;
    private final Consumer<LocalInfrastructure> onReady;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private volatile LocalInfrastructure infra;

    /** @param onReady told once both servers answer (prints how to reach them); not told if a stop came first */
    InfraService(Path workDir, LocalInfrastructure.Ports ports, Consumer<LocalInfrastructure> onReady) {
        this.workDir = workDir;
        this.ports = ports;
        this.onReady = onReady;
    }

    @Override
    public String name() {
        return "infra";
    }

    @Override
    public Void run() throws InterruptedException {
        infra = LocalInfrastructure.start(workDir, ports);
        if (stopRequested.getCount() > 0) {
            onReady.accept(infra);
        }
        stopRequested.await();
        return null;
    }

    @Override
    public boolean ready() {
        return infra != null && stopRequested.getCount() > 0;
    }

    @Override
    public void requestStop() {
        stopRequested.countDown();
    }

    @Override
    public void close() {
        LocalInfrastructure started = infra;
        if (started != null) {
            started.close();
        }
    }
}
