package dev.trainstream.evaluator;

import dev.trainstream.engine.evaluation.TestTimeAugmentation;
import dev.trainstream.engine.training.DeviceChoice;
import dev.trainstream.storage.S3Settings;

/**
 * The evaluator's configuration: batching, resources, promotion gate (TFX-style absolute floor and improvement over
 * the run's current best), catch-up policy, and where Kafka and S3 are.
 *
 * @param catchUpNewestOnlyWhenBehind when the consumer is behind by more than this many checkpoint events, score only
 *                                    the newest checkpoint of each run in the backlog (the others are skipped and
 *                                    logged); 0 = off, every checkpoint is scored in order
 * @param testTimeAugmentation        how each test image is scored (NONE = as it is; HORIZONTAL_FLIP = averaged with
 *                                    its mirror, twice the inference work); the events and best pointer record it
 */
public record EvaluatorConfig(int batchSize, int threads, DeviceChoice device, double gateMinAccuracy,
                              double gateMinImprovement, String groupId, String kafkaBootstrap, short topicReplication,
                              S3Settings s3, long catchUpNewestOnlyWhenBehind,
                              TestTimeAugmentation testTimeAugmentation) {
    /** Catch-up value meaning "score every checkpoint, however far behind". */
    public static final long CATCH_UP_OFF = 0;

    public EvaluatorConfig {
        if (batchSize < 1) {
            throw new IllegalArgumentException("eval batch size must be >= 1, was " + batchSize);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, was " + threads);
        }
        if (!(gateMinAccuracy >= 0 && gateMinAccuracy <= 1)) {
            throw new IllegalArgumentException("gate min accuracy must be in [0, 1], was " + gateMinAccuracy);
        }
        if (!(gateMinImprovement >= 0 && gateMinImprovement <= 1)) {
            throw new IllegalArgumentException("gate min improvement must be in [0, 1], was " + gateMinImprovement);
        }
        if (groupId == null || groupId.isBlank() || kafkaBootstrap == null || kafkaBootstrap.isBlank() || s3 == null
            || device == null) {
            throw new IllegalArgumentException("group id, kafka bootstrap, device and s3 must be set");
        }
        if (topicReplication < 1) {
            throw new IllegalArgumentException("topic replication must be >= 1, was " + topicReplication);
        }
        if (catchUpNewestOnlyWhenBehind < 0) {
            throw new IllegalArgumentException("catch-up-newest-only-when-behind must be >= 0 (0 = off), was "
                + catchUpNewestOnlyWhenBehind);
        }
        if (testTimeAugmentation == null) {
            throw new IllegalArgumentException("test-time augmentation must be set (NONE to score images as they are)");
        }
    }

    /** Images scored as they are. */
    public EvaluatorConfig(int batchSize, int threads, DeviceChoice device, double gateMinAccuracy,
                           double gateMinImprovement, String groupId, String kafkaBootstrap, short topicReplication,
                           S3Settings s3, long catchUpNewestOnlyWhenBehind) {
        this(batchSize, threads, device, gateMinAccuracy, gateMinImprovement, groupId, kafkaBootstrap, topicReplication,
            s3, catchUpNewestOnlyWhenBehind, TestTimeAugmentation.NONE);
    }

    /** Without catch-up (every checkpoint is scored), images scored as they are. */
    public EvaluatorConfig(int batchSize, int threads, DeviceChoice device, double gateMinAccuracy,
                           double gateMinImprovement, String groupId, String kafkaBootstrap, short topicReplication,
                           S3Settings s3) {
        this(batchSize, threads, device, gateMinAccuracy, gateMinImprovement, groupId, kafkaBootstrap, topicReplication,
            s3, CATCH_UP_OFF);
    }

    /** The same settings with another test-time augmentation. */
    public EvaluatorConfig withTestTimeAugmentation(TestTimeAugmentation augmentation) {
        return new EvaluatorConfig(batchSize, threads, device, gateMinAccuracy, gateMinImprovement, groupId,
            kafkaBootstrap, topicReplication, s3, catchUpNewestOnlyWhenBehind, augmentation);
    }

    /** The value events and the best pointer carry for this scoring: null for plain scoring. */
    public String testTimeAugmentationLabel() {
        return testTimeAugmentation == TestTimeAugmentation.NONE ? null : testTimeAugmentation.label();
    }

    /** Whether the catch-up policy is on. */
    public boolean catchUpEnabled() {
        return catchUpNewestOnlyWhenBehind > CATCH_UP_OFF;
    }

    /** The promotion gate these settings describe. */
    public PromotionGate gate() {
        return new PromotionGate(gateMinAccuracy, gateMinImprovement);
    }
}
