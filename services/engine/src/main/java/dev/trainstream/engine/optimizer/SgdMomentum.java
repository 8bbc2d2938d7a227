package dev.trainstream.engine.optimizer;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * SGD with momentum exactly as {@code torch.optim.SGD} (dampening 0): {@code g = grad + wd*w; buf = mu*buf + g;
 * w -= lr * (nesterov ? g + mu*buf : buf)}. The buffer starts at zero, which equals PyTorch's first-step copy.
 * The gradient array passed in is overwritten (callers zero it after the step anyway).
 */
public final class SgdMomentum implements ParameterOptimizer {

    private final float momentum;
    private final boolean nesterov;
    private final float weightDecay;

    /** SGD with the given momentum (0 = plain SGD), Nesterov flag and L2 weight decay. */
    public SgdMomentum(double momentum, boolean nesterov, double weightDecay) {
        if (momentum < 0 || momentum >= 1) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        if (weightDecay < 0) {
            throw new IllegalArgumentException("weightDecay must be >= 0, got " + weightDecay);
        }
        this.momentum = (float) momentum;
        this.nesterov = nesterov;
        this.weightDecay = (float) weightDecay;
    }

    @Override
    public List<String> stateNames() {
        return List.of("momentum");
    }

    /**
     * Updates in place on the gradient array (the engine zeroes it after the step): two temporaries per parameter
     * instead of five, with the same float operations in the same order as the out-of-place formula.
     */
    @Override
    public void update(ParameterSlot slot, NDArray gradient, double learningRate, long step) {
        NDArray weight = slot.weight();
        NDArray g = gradient;
        if (slot.decayed() && weightDecay > 0) {
            try (NDArray decay = weight.mul(weightDecay)) {
                g.addi(decay);
            }
        }
        if (momentum > 0) {
            NDArray buffer = slot.state().get(0);
            buffer.muli(momentum).addi(g);
            if (nesterov) {
                try (NDArray ahead = buffer.mul(momentum)) {
                    g.addi(ahead);
                }
            } else {
                g = buffer;
            }
        }
        if (g == gradient) {
            weight.subi(g.muli((float) learningRate));
        } else {
            try (NDArray delta = g.mul((float) learningRate)) {
                weight.subi(delta);
            }
        }
    }
}
