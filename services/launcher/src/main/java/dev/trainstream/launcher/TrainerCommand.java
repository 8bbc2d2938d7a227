package dev.trainstream.launcher;

import dev.trainstream.trainer.SigtermStop;
import dev.trainstream.trainer.TrainerConfig;
import dev.trainstream.trainer.TrainerRun;
import dev.trainstream.trainer.TrainerSummary;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code trainstream trainer}: trains from the batch stream until its epochs are done or SIGTERM arrives. */
@Command(name = "trainer", mixinStandardHelpOptions = true,
    description = "Train MobileNetV1 from batch references; emit metric and checkpoint events; resume from checkpoints.")
final class TrainerCommand implements Callable<Integer> {
    @Mixin
    ConnectionOptions connection;
    @Mixin
    TrainerOptions trainer;

    @Override
    public Integer call() throws Exception {
        TrainerConfig config = trainer.toConfig(connection.kafkaBootstrap, connection.topicReplication, connection.s3());
        AtomicReference<TrainerRun> current = new AtomicReference<>();
        SigtermStop sigterm = null;
        boolean cleanly = false;
        try (ServiceHost host = ServiceHost.start("trainer", connection.httpPort, connection.kafkaBootstrap, config.s3(),
                 () -> current.get() != null && current.get().ready());
             TrainerRun run = new TrainerRun(config, host.registry())) {
            current.set(run);
            run.setProgress(TerminalTrainingProgress.forConsole());
            // SIGTERM: finish the step, checkpoint, publish, commit, close (this try), then exit 0 within the grace.
            sigterm = SigtermStop.install(run, config.runId(), config.gracePeriod());
            TrainerSummary summary = run.run();
            System.out.println("run " + summary.runId() + ": " + summary.steps() + " steps, " + summary.epochs()
                + " epochs, " + summary.deadLettered() + " dead-lettered batches, last checkpoint "
                + summary.lastCheckpointUri().orElse("none") + (summary.stoppedEarly() ? " (stopped early)" : ""));
            cleanly = true;
            return 0;
        } finally {
            if (sigterm != null) {
                sigterm.runClosed(cleanly);
            }
        }
    }
}
