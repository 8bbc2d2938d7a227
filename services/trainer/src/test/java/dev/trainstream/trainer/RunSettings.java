package dev.trainstream.trainer;

import dev.trainstream.engine.model.Activation;
import dev.trainstream.engine.training.DeviceChoice;
import dev.trainstream.engine.training.OptimizerKind;
import dev.trainstream.storage.S3Settings;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The few trainer settings the tests vary, with small CPU-friendly defaults, convertible both into a
 * {@link TrainerConfig} and into the arguments of {@link TrainerProcessMain}, so an in-process run and a child-process
 * run of the same settings are configured identically.
 */
final class RunSettings {
    String runId;
    String datasetId;
    int epochs = 2;
    int checkpointEverySteps = 4;
    long checkpointIntervalMillis = 0;
    int metricsEverySteps = 2;
    int keepCheckpoints = 3;
    /** No evaluator takes part in most tests: by default nothing is held for one. */
    long evaluationHoldMillis = 0;
    int prefetch = 4;
    long graceSeconds = 60;
    /** In-process runs only (child processes train on the CPU). */
    DeviceChoice device = DeviceChoice.cpu();
    String kafkaBootstrap;
    S3Settings s3;

    RunSettings(String runId, String datasetId, String kafkaBootstrap, S3Settings s3) {
        this.runId = runId;
        this.datasetId = datasetId;
        this.kafkaBootstrap = kafkaBootstrap;
        this.s3 = s3;
    }

    /** One engine thread and SGD at a fixed rate: identical settings give bitwise-identical CPU training. */
    TrainerConfig toConfig() {
        return TrainerConfig.builder(runId, kafkaBootstrap, s3).widthMultiplier(0.25).optimizer(OptimizerKind.SGD)
            .learningRate(OptionalDouble.of(0.05)).epochs(epochs).seed(7).datasetId(datasetId)
            .metricsEverySteps(metricsEverySteps).checkpointEverySteps(checkpointEverySteps)
            .checkpointInterval(Duration.ofMillis(checkpointIntervalMillis)).keepCheckpoints(keepCheckpoints)
            .evaluationHold(Duration.ofMillis(evaluationHoldMillis)).threads(1)
            .device(device).prefetch(prefetch).shardCacheBytes(64L << 20)
            .gracePeriod(Duration.ofSeconds(graceSeconds)).build();
    }

    List<String> toArgs() {
        Map<String, String> args = new LinkedHashMap<>();
        args.put("runId", runId);
        args.put("datasetId", datasetId);
        args.put("epochs", Integer.toString(epochs));
        args.put("checkpointEverySteps", Integer.toString(checkpointEverySteps));
        args.put("checkpointIntervalMillis", Long.toString(checkpointIntervalMillis));
        args.put("metricsEverySteps", Integer.toString(metricsEverySteps));
        args.put("keepCheckpoints", Integer.toString(keepCheckpoints));
        args.put("evaluationHoldMillis", Long.toString(evaluationHoldMillis));
        args.put("prefetch", Integer.toString(prefetch));
        args.put("graceSeconds", Long.toString(graceSeconds));
        args.put("kafka", kafkaBootstrap);
        args.put("s3", s3.endpoint().toString());
        args.put("s3AccessKey", s3.accessKey());
        args.put("s3SecretKey", s3.secretKey());
        args.put("s3Bucket", s3.bucket());
        List<String> out = new ArrayList<>();
        args.forEach((k, v) -> out.add(k + "=" + v));
        return out;
    }

    static RunSettings fromArgs(String[] argv) {
        Map<String, String> args = new LinkedHashMap<>();
        for (String arg : argv) {
            int eq = arg.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("arguments are key=value, got " + arg);
            }
            args.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        S3Settings s3 = new S3Settings(URI.create(required(args, "s3")), required(args, "s3AccessKey"),
            required(args, "s3SecretKey"), required(args, "s3Bucket"), "us-east-1");
        RunSettings settings = new RunSettings(required(args, "runId"), required(args, "datasetId"),
            required(args, "kafka"), s3);
        settings.epochs = Integer.parseInt(required(args, "epochs"));
        settings.checkpointEverySteps = Integer.parseInt(required(args, "checkpointEverySteps"));
        settings.checkpointIntervalMillis = Long.parseLong(required(args, "checkpointIntervalMillis"));
        settings.metricsEverySteps = Integer.parseInt(required(args, "metricsEverySteps"));
        settings.keepCheckpoints = Integer.parseInt(required(args, "keepCheckpoints"));
        settings.evaluationHoldMillis = Long.parseLong(required(args, "evaluationHoldMillis"));
        settings.prefetch = Integer.parseInt(required(args, "prefetch"));
        settings.graceSeconds = Long.parseLong(required(args, "graceSeconds"));
        return settings;
    }

    private static String required(Map<String, String> args, String key) {
        String value = args.get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing argument " + key);
        }
        return value;
    }
}
