package dev.trainstream.launcher;

import dev.trainstream.evaluator.EvaluatorSettings;
import dev.trainstream.ops.config.Setting;
import java.util.List;
import dev.trainstream.engine.evaluation.TestTimeAugmentation;
import dev.trainstream.engine.training.DeviceChoice;
import dev.trainstream.evaluator.EvaluatorConfig;
import dev.trainstream.storage.S3Settings;
import picocli.CommandLine.Option;

/** The evaluator service's options (shared by {@code evaluator} and {@code up}). */
final class EvaluatorOptions implements SettingsBacked {
    @Option(names = "--eval-batch-size", paramLabel = "N")
    int batchSize;

    @Option(names = "--eval-threads", paramLabel = "N")
    int threads;

    @Option(names = "--eval-device", paramLabel = "auto|cpu|gpu[:ids]")
    String device;

    @Option(names = "--gate-min-accuracy", paramLabel = "A")
    double gateMinAccuracy;

    @Option(names = "--gate-min-improvement", paramLabel = "D")
    double gateMinImprovement;

    @Option(names = "--eval-tta", paramLabel = "none|hflip")
    String testTimeAugmentation;

    @Option(names = "--evaluator-group", paramLabel = "GROUP")
    String groupId;

    @Option(names = "--catch-up-newest-only-when-behind", paramLabel = "N")
    long catchUpNewestOnlyWhenBehind;

    EvaluatorConfig toConfig(String kafkaBootstrap, short replication, S3Settings s3) {
        int engineThreads = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
        TestTimeAugmentation augmentation;
        try {
            augmentation = TestTimeAugmentation.parse(testTimeAugmentation);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--eval-tta (TRAINSTREAM_EVAL_TTA): " + e.getMessage(), e);
        }
        return new EvaluatorConfig(batchSize, engineThreads, DeviceChoice.parse(device), gateMinAccuracy,
            gateMinImprovement, groupId, kafkaBootstrap, replication, s3, catchUpNewestOnlyWhenBehind, augmentation);
    }

    @Override
    public List<Setting> settings() {
        return EvaluatorSettings.ALL;
    }
}
