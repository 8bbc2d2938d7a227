package dev.trainstream.trainer;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Test-only entry point of a trainer in its own JVM, so tests can kill it (SIGKILL) or stop it (SIGTERM) for real.
 * Arguments are {@link RunSettings#toArgs()}; the SIGTERM handling is the production {@link SigtermStop}. Prints
 * {@code SUMMARY <steps> <epochs> <deadLettered> <stoppedEarly>} on success.
 */
public final class TrainerProcessMain {
    private TrainerProcessMain() {
    }

    public static void main(String[] args) throws Exception {
        TrainerConfig config = RunSettings.fromArgs(args).toConfig();
        SigtermStop sigterm = null;
        boolean cleanly = false;
        try (TrainerRun run = new TrainerRun(config, new SimpleMeterRegistry())) {
            sigterm = SigtermStop.install(run, config.runId(), config.gracePeriod());
            TrainerSummary summary = run.run();
            System.out.println("SUMMARY " + summary.steps() + " " + summary.epochs() + " " + summary.deadLettered() + " "
                + summary.stoppedEarly());
            cleanly = true;
        } finally {
            if (sigterm != null) {
                sigterm.runClosed(cleanly);
            }
        }
    }
}
