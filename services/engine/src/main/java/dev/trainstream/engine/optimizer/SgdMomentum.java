package dev.trainstream.engine.optimizer;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * SGD with momentum exactly as {@code torch.optim.SGD} (dampening 0): {@code g = grad + wd*w; buf = mu*buf + g;
 * w -= lr * (nesterov ? g + mu*buf : buf)}. The buffer starts at zero, which equals PyTorch's first-step copy.
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

    @Override
    public void update(ParameterSlot slot, NDArray gradient, double learningRate, long step) {
        NDArray weight = slot.weight();
        NDArray g = slot.decayed() && weightDecay > 0 ? gradient.add(weight.mul(weightDecay)) : gradient;
        NDArray direction;
        if (momentum > 0) {
            NDArray buffer = slot.state().get(0);
            buffer.muli(momentum).addi(g);
            direction = nesterov ? g.add(buffer.mul(momentum)) : buffer;
        } else {
            direction = g;
        }
        weight.subi(direction.mul((float) learningRate));
    }
}
