package dev.trainstream.evaluator;

import dev.trainstream.engine.training.DeviceChoice;
import dev.trainstream.storage.S3Settings;

/**
 * The evaluator's configuration: batching, resources, promotion gate (TFX-style absolute floor and improvement over
 * the run's current best), and where Kafka and S3 are.
 */
public record EvaluatorConfig(int batchSize, int threads, DeviceChoice device, double gateMinAccuracy,
                              double gateMinImprovement, String groupId, String kafkaBootstrap, short topicReplication,
                              S3Settings s3) {
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
    }
}
