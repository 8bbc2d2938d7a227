package dev.trainstream.trainer;

import dev.trainstream.ops.lifecycle.RunningService;
import dev.trainstream.ops.lifecycle.ShutdownSignal;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Test-only entry point of a trainer in its own JVM, so tests can kill it (SIGKILL) or stop it (SIGTERM) for real.
 * Arguments are {@link RunSettings#toArgs()}; it is hosted like the launcher hosts it ({@link RunningService} and the
 * production {@link ShutdownSignal}). Prints {@code SUMMARY <steps> <epochs> <deadLettered> <stoppedEarly>}, plus {@code finished-before} when the run
 * had finished in an earlier life, on success.
 */
public final class TrainerProcessMain {
    private TrainerProcessMain() {
    }

    public static void main(String[] args) throws Exception {
        TrainerConfig config = RunSettings.fromArgs(args).toConfig();
        RunningService<TrainerSummary> running = RunningService.start(new TrainerRun(config, new SimpleMeterRegistry()),
            config.gracePeriod());
        ShutdownSignal signal = ShutdownSignal.install(running, config.gracePeriod());
        boolean cleanly = false;
        int status = 0;
        try {
            TrainerSummary summary = running.await();
            status = summary.exitStatus();
            System.out.println("SUMMARY " + summary.steps() + " " + summary.epochs() + " " + summary.deadLettered() + " "
                + summary.stoppedEarly() + (summary.finishedBefore() ? " finished-before" : ""));
            cleanly = true;
        } finally {
            running.close();
            signal.hostClosed(cleanly, status);
        }
    }
}
