package dev.trainstream.events;

/**
 * The training configuration of a run, recorded as provenance with its STARTED event.
 *
 * @param datasetId    dataset trained on
 * @param model        model shape
 * @param optimizer    optimizer name, e.g. "sgd"
 * @param learningRate learning rate, > 0
 * @param momentum     momentum, >= 0
 * @param weightDecay  weight decay, >= 0
 * @param batchSize    batch size, >= 1
 * @param epochs       number of epochs, >= 1
 * @param seed         random seed
 */
public record RunConfig(String datasetId, ModelSpec model, String optimizer, double learningRate, double momentum,
                        double weightDecay, int batchSize, int epochs, long seed) {

    public RunConfig {
        FieldChecks.nonBlank(datasetId, "datasetId");
        FieldChecks.nonNull(model, "model");
        FieldChecks.nonBlank(optimizer, "optimizer");
        if (!(learningRate > 0.0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be a finite number > 0, got " + learningRate);
        }
        if (!(FieldChecks.finite(momentum, "momentum") >= 0.0)) {
            throw new IllegalArgumentException("momentum must be >= 0, got " + momentum);
        }
        if (!(FieldChecks.finite(weightDecay, "weightDecay") >= 0.0)) {
            throw new IllegalArgumentException("weightDecay must be >= 0, got " + weightDecay);
        }
        FieldChecks.atLeast(batchSize, 1, "batchSize");
        FieldChecks.atLeast(epochs, 1, "epochs");
    }
}
