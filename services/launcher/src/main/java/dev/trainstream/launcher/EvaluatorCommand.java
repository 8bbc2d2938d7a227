package dev.trainstream.launcher;

import dev.trainstream.evaluator.EvaluatorConfig;
import dev.trainstream.evaluator.EvaluatorRun;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code trainstream evaluator}: scores every new checkpoint until stopped. */
@Command(name = "evaluator", mixinStandardHelpOptions = true,
    description = "Score each new checkpoint on the test split; emit evaluation events; promote the best model.")
final class EvaluatorCommand implements Callable<Integer> {
    @Mixin
    ConnectionOptions connection;
    @Mixin
    EvaluatorOptions evaluator;

    @Override
    public Integer call() throws Exception {
        EvaluatorConfig config = evaluator.toConfig(connection.kafkaBootstrap, connection.topicReplication, connection.s3());
        AtomicReference<EvaluatorRun> current = new AtomicReference<>();
        try (ServiceHost host = ServiceHost.start("evaluator", connection.httpPort, connection.kafkaBootstrap, config.s3(),
                 () -> current.get() != null && current.get().ready());
             EvaluatorRun run = new EvaluatorRun(config, host.registry(), outcome -> { })) {
            current.set(run);
            Thread hook = new Thread(run::requestStop, "evaluator-sigterm");
            Runtime.getRuntime().addShutdownHook(hook);
            run.run();
            return 0;
        }
    }
}
