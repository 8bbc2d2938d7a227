package dev.trainstream.launcher;

import dev.trainstream.engine.training.EngineOptions;
import dev.trainstream.evaluator.export.BestModelExporter;
import dev.trainstream.evaluator.export.ExportedModelMetadata;
import dev.trainstream.evaluator.export.ModelExportException;
import dev.trainstream.storage.ObjectStore;
import dev.trainstream.storage.RetryPolicy;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code trainstream export}: the run's best model as a DJL model directory a user can load without Trainstream. */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Write the run's best model (runs/<run>/best.json) as a plain DJL model directory "
        + "(mobilenet-v1-0000.params) plus metadata.json (classes, normalisation, input size, model options, source "
        + "checkpoint and sha256).")
final class ExportCommand implements Callable<Integer> {
    @Mixin
    ConnectionOptions connection;

    @Option(names = "--run", required = true, paramLabel = "ID", description = "Run whose best model to export.")
    String runId;

    @Option(names = "--output", required = true, paramLabel = "DIR",
        description = "Directory to write the model into (created if missing).")
    Path output;

    @Override
    public Integer call() {
        try (ObjectStore objects = ObjectStore.connect(connection.s3(), RetryPolicy.standard())) {
            ExportedModelMetadata metadata = new BestModelExporter(objects, EngineOptions.cpu(1), Clock.systemUTC())
                .export(runId, output);
            System.out.printf("exported %s step %d (test accuracy %.4f) to %s%n", metadata.source().checkpointUri(),
                metadata.source().step(), metadata.source().testAccuracy(), output.toAbsolutePath());
            return 0;
        } catch (ModelExportException e) {
            System.err.println("trainstream export: " + e.getMessage());
            return TrainstreamCommand.EXIT_BAD_INPUT;
        }
    }
}
