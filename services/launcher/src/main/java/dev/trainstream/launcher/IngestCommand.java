package dev.trainstream.launcher;

import dev.trainstream.ingest.IngestJob;
import dev.trainstream.ingest.IngestSummary;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code trainstream ingest}: one-shot; stores a dataset in S3 and publishes its batch references, then exits. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
    description = "Shard a dataset into S3 and publish batch references to Kafka, then exit (0 = done).")
final class IngestCommand implements Callable<Integer> {
    @Mixin
    ConnectionOptions connection;
    @Mixin
    IngestOptions ingest;

    @Override
    public Integer call() throws Exception {
        AtomicBoolean done = new AtomicBoolean();
        try (ServiceHost host = ServiceHost.start("ingest", connection.httpPort, connection.kafkaBootstrap,
            connection.s3(), done::get)) {
            IngestSummary summary = IngestJob.run(ingest.toConfig(connection.kafkaBootstrap, connection.topicReplication,
                connection.s3()), TerminalIngestProgress.forConsole());
            done.set(true);
            System.out.println(summary.render());
            return 0;
        }
    }
}
