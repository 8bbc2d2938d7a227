package dev.trainstream.launcher;

import dev.trainstream.evaluator.EvaluatorConfig;
import dev.trainstream.evaluator.EvaluatorRun;
import java.util.concurrent.Callable;
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
        // SIGTERM: finish and commit the evaluation in hand, close, then exit 0 within the grace period.
        HostedService.withOps(connection, "evaluator", config.s3(),
            registry -> new EvaluatorRun(config, registry, outcome -> { }), summary -> {
                System.out.println(summary.render());
                System.out.flush();
            });
        return 0;
    }
}
