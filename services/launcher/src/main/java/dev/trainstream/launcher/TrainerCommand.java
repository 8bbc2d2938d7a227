package dev.trainstream.launcher;

import dev.trainstream.trainer.TrainerConfig;
import dev.trainstream.trainer.TrainerRun;
import dev.trainstream.trainer.TrainerSummary;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code trainstream trainer}: trains from the batch stream until its epochs are done (exit 0) or SIGTERM arrives
 * (exit 75 after checkpointing, unless the run finished meanwhile); a run that already finished (its final checkpoint
 * holds those epochs) exits 0 at once.
 */
@Command(name = "trainer", mixinStandardHelpOptions = true,
    description = "Train MobileNetV1 from batch references; emit metric and checkpoint events; resume from checkpoints.")
final class TrainerCommand implements Callable<Integer> {
    @Mixin
    ConnectionOptions connection;
    @Mixin
    TrainerOptions trainer;

    @Override
    public Integer call() throws Exception {
        TrainerConfig config = trainer.toConfig(connection.kafkaBootstrap, connection.topicReplication, connection.s3(),
            connection.grace());
        // SIGTERM: finish the step, checkpoint, publish, commit, close, then exit within the grace period: 0 if the run
        // finished, else 75 (TrainerSummary.EXIT_UNFINISHED), so a Job or an on-failure policy restarts it to resume.
        return HostedService.withOps(connection, "trainer", config.s3(), registry -> {
            TrainerRun run = new TrainerRun(config, registry);
            run.setProgress(TerminalTrainingProgress.forConsole());
            return run;
        }, TrainerCommand::print, TrainerSummary::exitStatus);
    }

    private static void print(TrainerSummary summary) {
        if (summary.finishedBefore()) {
            // A restarted Job or container of a finished run: exit 0 at once, so the platform sees the run succeed.
            System.out.println("run " + summary.runId() + ": already finished (" + summary.steps() + " steps, "
                + summary.epochs() + " epochs, final checkpoint " + summary.lastCheckpointUri().orElse("none")
                + "); nothing to train");
            System.out.flush();
            return;
        }
        System.out.println("run " + summary.runId() + ": " + summary.steps() + " steps, " + summary.epochs()
            + " epochs, " + summary.deadLettered() + " dead-lettered batches, last checkpoint "
            + summary.lastCheckpointUri().orElse("none") + (summary.stoppedEarly() ? " (stopped early)" : ""));
        System.out.flush();
    }
}
