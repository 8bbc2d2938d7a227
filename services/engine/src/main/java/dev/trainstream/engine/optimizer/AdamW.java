package dev.trainstream.engine.optimizer;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * AdamW exactly as {@code torch.optim.AdamW}: decoupled decay {@code w *= 1 - lr*wd}, then the bias-corrected Adam
 * step {@code w -= lr/bc1 * m / (sqrt(v)/sqrt(bc2) + eps)}.
 */
public final class AdamW implements ParameterOptimizer {

    private final double beta1;
    private final double beta2;
    private final float epsilon;
    private final double weightDecay;

    /** AdamW with the given betas, epsilon and decoupled weight decay. */
    public AdamW(double beta1, double beta2, double epsilon, double weightDecay) {
        if (beta1 <= 0 || beta1 >= 1 || beta2 <= 0 || beta2 >= 1) {
            throw new IllegalArgumentException("beta1 and beta2 must be in (0, 1)");
        }
        if (epsilon <= 0 || weightDecay < 0) {
            throw new IllegalArgumentException("epsilon must be > 0 and weightDecay >= 0");
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = (float) epsilon;
        this.weightDecay = weightDecay;
    }

    @Override
    public List<String> stateNames() {
        return List.of("exp_avg", "exp_avg_sq");
    }

    @Override
    public void update(ParameterSlot slot, NDArray gradient, double learningRate, long step) {
        if (step < 1) {
            throw new IllegalArgumentException("step must be >= 1, got " + step);
        }
        NDArray weight = slot.weight();
        if (slot.decayed() && weightDecay > 0) {
            weight.muli((float) (1 - learningRate * weightDecay));
        }
        NDArray mean = slot.state().get(0);
        NDArray variance = slot.state().get(1);
        mean.muli((float) beta1).addi(gradient.mul((float) (1 - beta1)));
        variance.muli((float) beta2).addi(gradient.square().muli((float) (1 - beta2)));
        double correction1 = 1 - Math.pow(beta1, step);
        double correction2 = 1 - Math.pow(beta2, step);
        NDArray denominator = variance.sqrt().divi((float) Math.sqrt(correction2)).addi(epsilon);
        weight.subi(mean.div(denominator).muli((float) (learningRate / correction1)));
    }
}
