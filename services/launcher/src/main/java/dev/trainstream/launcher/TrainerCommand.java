package dev.trainstream.launcher;

import dev.trainstream.trainer.TrainerConfig;
import dev.trainstream.trainer.TrainerRun;
import dev.trainstream.trainer.TrainerSummary;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
        try (ServiceHost host = ServiceHost.start("trainer", connection.httpPort, connection.kafkaBootstrap, config.s3(),
                 () -> current.get() != null && current.get().ready());
             TrainerRun run = new TrainerRun(config, host.registry())) {
            current.set(run);
            CountDownLatch finished = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                run.requestStop();
                awaitQuietly(finished, config.gracePeriod().toMillis());
            }, "trainer-sigterm");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                TrainerSummary summary = run.run();
                System.out.println("run " + summary.runId() + ": " + summary.steps() + " steps, " + summary.epochs()
                    + " epochs, " + summary.deadLettered() + " dead-lettered batches, last checkpoint "
                    + summary.lastCheckpointUri().orElse("none"));
                return 0;
            } finally {
                finished.countDown();
            }
        }
    }

    private static void awaitQuietly(CountDownLatch latch, long millis) {
        try {
            latch.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
