package dev.trainstream.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Batch norm over the channel axis of NCHW input that calls libtorch's {@code batch_norm} directly. DJL's own
 * {@link BatchNorm} routes axis 1 through two transposes and a temporary NDManager per call, which adds autograd
 * nodes and keeps the un-transposed output alive until the step's scope closes; this block has the same parameters
 * (gamma, beta, runningMean, runningVar), epsilon 1e-5 and momentum 0.1 in PyTorch's convention.
 */
public final class BatchNorm2d extends AbstractBlock {

    private static final byte VERSION = 1;
    /** DJL convention (0.9 = keep 90% of the running statistic), i.e. PyTorch's momentum 0.1. */
    private static final float MOMENTUM = 0.9f;
    private static final float EPSILON = 1e-5f;

    private final Parameter gamma;
    private final Parameter beta;
    private final Parameter runningMean;
    private final Parameter runningVar;

    /** A batch norm whose channel count is taken from the input at initialisation. */
    public BatchNorm2d() {
        super(VERSION);
        gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA).build());
        beta = addParameter(Parameter.builder().setName("beta").setType(Parameter.Type.BETA).build());
        runningMean = addParameter(Parameter.builder().setName("runningMean")
                .setType(Parameter.Type.RUNNING_MEAN).optRequiresGrad(false).build());
        runningVar = addParameter(Parameter.builder().setName("runningVar")
                .setType(Parameter.Type.RUNNING_VAR).optRequiresGrad(false).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray input = inputs.singletonOrThrow();
        if (input.getShape().dimension() != 4) {
            throw new IllegalArgumentException("BatchNorm2d expects NCHW input, got " + input.getShape());
        }
        ai.djl.Device device = input.getDevice();
        // axis -1 selects DJL's direct path; libtorch's batch_norm always normalises dimension 1 (channels)
        return BatchNorm.batchNorm(input,
                parameterStore.getValue(runningMean, device, training),
                parameterStore.getValue(runningVar, device, training),
                parameterStore.getValue(gamma, device, training),
                parameterStore.getValue(beta, device, training),
                -1, MOMENTUM, EPSILON, training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    public void prepare(Shape[] inputShapes) {
        Shape channels = new Shape(inputShapes[0].get(1));
        gamma.setShape(channels);
        beta.setShape(channels);
        runningMean.setShape(channels);
        runningVar.setShape(channels);
    }
}
