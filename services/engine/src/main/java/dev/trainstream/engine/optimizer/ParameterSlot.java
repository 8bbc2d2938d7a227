package dev.trainstream.engine.optimizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.List;

/**
 * A trainable parameter together with the optimizer state the session owns for it (so the state can be saved),
 * its stable name and whether weight decay applies.
 */
public final class ParameterSlot {

    private final String name;
    private final Parameter parameter;
    private final boolean decayed;
    private final List<NDArray> state;

    /**
     * Creates the slot and its zero-initialised state arrays ({@code stateArrays} of the parameter's shape,
     * allocated in {@code stateManager}).
     */
    public ParameterSlot(String name, Parameter parameter, boolean decayed, int stateArrays, NDManager stateManager) {
        if (name == null || parameter == null || stateManager == null) {
            throw new IllegalArgumentException("name, parameter and stateManager must be set");
        }
        if (stateArrays < 0) {
            throw new IllegalArgumentException("stateArrays must be >= 0");
        }
        this.name = name;
        this.parameter = parameter;
        this.decayed = decayed;
        NDArray weight = parameter.getArray();
        NDArray[] arrays = new NDArray[stateArrays];
        for (int i = 0; i < stateArrays; i++) {
            arrays[i] = stateManager.zeros(weight.getShape(), weight.getDataType(), weight.getDevice());
        }
        this.state = List.of(arrays);
    }

    /** Stable name, {@code layer.parameter}, e.g. {@code conv_dw_1.weight}. */
    public String name() {
        return name;
    }

    /** The parameter's live array (updated in place). */
    public NDArray weight() {
        return parameter.getArray();
    }

    /** The DJL parameter. */
    public Parameter parameter() {
        return parameter;
    }

    /** Whether weight decay applies to this parameter. */
    public boolean decayed() {
        return decayed;
    }

    /** Optimizer state arrays, in the order {@link ParameterOptimizer#stateNames()} names them. */
    public List<NDArray> state() {
        return state;
    }
}
