package dev.trainstream.engine.optimizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.trainstream.engine.runtime.EngineRuntime;
import dev.trainstream.engine.training.EngineOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Three updates of each optimizer against a scalar re-derivation of PyTorch's update equations. */
class OptimizerFormulaTest {

    private static final float[] W0 = {0.5f, -1.25f, 2f};
    private static final float[][] GRADS = {{0.1f, -0.2f, 0.3f}, {-0.05f, 0.4f, 0.0f}, {0.2f, 0.1f, -0.3f}};
    private static final double LR = 0.1;

    @BeforeAll
    static void engine() {
        EngineRuntime.configure(EngineOptions.cpu(1));
        EngineRuntime.gradientMode(false);
    }

    private static float[] run(ParameterOptimizer optimizer, boolean decayed) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Parameter parameter = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).build();
            parameter.setArray(manager.create(W0.clone()));
            ParameterSlot slot = new ParameterSlot("w", parameter, decayed, optimizer.stateNames().size(), manager);
            for (int t = 0; t < GRADS.length; t++) {
                // a fresh array per step: the optimizer may overwrite it, as the engine zeroes it after each step
                NDArray gradient = manager.create(GRADS[t].clone());
                optimizer.update(slot, gradient, LR, t + 1);
            }
            return parameter.getArray().toFloatArray();
        }
    }

    @Test
    void givenNesterovSgdWithDecay_whenUpdated_thenMatchesTorchSgd() {
        double mu = 0.9;
        double wd = 0.01;
        float[] actual = run(new SgdMomentum(mu, true, wd), true);
        for (int i = 0; i < W0.length; i++) {
            double w = W0[i];
            double buf = 0;
            for (float[] grad : GRADS) {
                double g = grad[i] + wd * w;
                buf = mu * buf + g;
                w -= LR * (g + mu * buf);
            }
            assertThat((double) actual[i]).isCloseTo(w, within(1e-6));
        }
    }

    @Test
    void givenPlainMomentumWithoutDecayFlag_whenUpdated_thenDecayIsNotApplied() {
        double mu = 0.9;
        float[] actual = run(new SgdMomentum(mu, false, 0.5), false);
        for (int i = 0; i < W0.length; i++) {
            double w = W0[i];
            double buf = 0;
            for (float[] grad : GRADS) {
                buf = mu * buf + grad[i];
                w -= LR * buf;
            }
            assertThat((double) actual[i]).isCloseTo(w, within(1e-6));
        }
    }

    @Test
    void givenPlainSgdWithDecay_whenUpdated_thenMatchesTorchSgd() {
        double wd = 0.01;
        float[] actual = run(new SgdMomentum(0, false, wd), true);
        for (int i = 0; i < W0.length; i++) {
            double w = W0[i];
            for (float[] grad : GRADS) {
                w -= LR * (grad[i] + wd * w);
            }
            assertThat((double) actual[i]).isCloseTo(w, within(1e-6));
        }
    }

    @Test
    void givenAdamW_whenUpdated_thenMatchesTorchAdamW() {
        double b1 = 0.9;
        double b2 = 0.999;
        double eps = 1e-8;
        double wd = 0.05;
        float[] actual = run(new AdamW(b1, b2, eps, wd), true);
        for (int i = 0; i < W0.length; i++) {
            double w = W0[i];
            double m = 0;
            double v = 0;
            for (int t = 1; t <= GRADS.length; t++) {
                double g = GRADS[t - 1][i];
                w *= 1 - LR * wd;
                m = b1 * m + (1 - b1) * g;
                v = b2 * v + (1 - b2) * g * g;
                double denominator = Math.sqrt(v) / Math.sqrt(1 - Math.pow(b2, t)) + eps;
                w -= LR / (1 - Math.pow(b1, t)) * m / denominator;
            }
            assertThat((double) actual[i]).isCloseTo(w, within(1e-5));
        }
    }
}
