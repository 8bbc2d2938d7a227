package dev.trainstream.launcher;

import dev.trainstream.ingest.IngestConfig;
import dev.trainstream.ingest.IngestJob;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code trainstream ingest}: one-shot; stores a dataset in S3 and publishes its batch references, then exits. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
    description = "Shard a dataset into S3 and publish batch references to Kafka, then exit (0 = done). Epoch numbers "
        + "continue after those already on the topic; --dataset-id ID publishes more epochs of a stored dataset.")
final class IngestCommand implements Callable<Integer> {
    @Mixin
    ConnectionOptions connection;
    @Mixin
    IngestOptions ingest;
    @Spec
    CommandSpec spec;

    @Mixin
    StoredDatasetOption stored;

    @Override
    public Integer call() throws Exception {
        boolean datasetGiven = spec.commandLine().getParseResult().hasMatchedOption("--dataset");
        IngestConfig config = ingest.toConfig(connection.kafkaBootstrap, connection.topicReplication, connection.s3(),
            stored.datasetId, datasetGiven);
        // SIGTERM: the epoch being published commits (none is ever half-published), then exit 0 within the grace.
        HostedService.withOps(connection, "ingest", config.s3(),
            registry -> new IngestJob(config, TerminalIngestProgress.forConsole()), summary -> {
                spec.commandLine().getOut().println(summary.render());
                spec.commandLine().getOut().flush();
            });
        return 0;
    }
}
