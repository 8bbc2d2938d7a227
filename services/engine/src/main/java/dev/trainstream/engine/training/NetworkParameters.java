package dev.trainstream.engine.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.trainstream.engine.model.MobileNetV1;
import dev.trainstream.engine.model.NamedLayer;
import dev.trainstream.engine.runtime.EngineRuntime;
import dev.trainstream.engine.state.IncompatibleStateException;
import dev.trainstream.engine.state.TensorRecord;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The initialised network's parameters under stable names ({@code layer.parameter}), with export to and exact
 * import from {@link TensorRecord}s. Initialisation is seeded, so the same seed gives the same starting weights.
 */
public final class NetworkParameters {

    private final MobileNetV1 network;
    private final Map<String, Parameter> byName;

    private NetworkParameters(MobileNetV1 network) {
        this.network = network;
        this.byName = new LinkedHashMap<>();
        for (NamedLayer layer : network.layers()) {
            for (Pair<String, Parameter> entry : layer.block().getParameters()) {
                byName.put(layer.name() + "." + entry.getKey(), entry.getValue());
            }
        }
    }

    /** Initialises {@code network} in {@code manager} with the engine's generator seeded from {@code seed}. */
    public static NetworkParameters initialize(MobileNetV1 network, NDManager manager, long seed) {
        manager.getEngine().setRandomSeed((int) (seed ^ (seed >>> 32)));
        network.toBlock().initialize(manager, DataType.FLOAT32, network.inputShape(1));
        return new NetworkParameters(network);
    }

    /** The network. */
    public MobileNetV1 network() {
        return network;
    }

    /** All parameters (BN running statistics included) by stable name, in network order. */
    public Map<String, Parameter> byName() {
        return Collections.unmodifiableMap(byName);
    }

    /** The live arrays of every parameter, for scoping them into a step's NDManager. */
    public NDArray[] arrays() {
        return byName.values().stream().map(Parameter::getArray).toArray(NDArray[]::new);
    }

    /** Copies every parameter out of the engine. */
    public List<TensorRecord> export() {
        List<TensorRecord> out = new ArrayList<>();
        byName.forEach((name, parameter) -> out.add(record(name, parameter.getArray())));
        return out;
    }

    /** Copies one array out of the engine under {@code name}. */
    public static TensorRecord record(String name, NDArray array) {
        return new TensorRecord(name, array.getShape().getShape(), array.toFloatArray());
    }

    /** Overwrites every parameter from {@code records}; names and shapes must match exactly. */
    public void load(List<TensorRecord> records) throws IncompatibleStateException {
        Map<String, NDArray> targets = new LinkedHashMap<>();
        byName.forEach((name, parameter) -> targets.put(name, parameter.getArray()));
        copyInto(targets, records, "parameter");
    }

    /** Overwrites each target array with the record of the same name (gradient mode off, exact copy). */
    static void copyInto(Map<String, NDArray> targets, List<TensorRecord> records, String what)
            throws IncompatibleStateException {
        Map<String, TensorRecord> byRecordName = new LinkedHashMap<>();
        records.forEach(r -> byRecordName.put(r.name(), r));
        if (!byRecordName.keySet().equals(targets.keySet())) {
            List<String> missing = new ArrayList<>(targets.keySet());
            missing.removeAll(byRecordName.keySet());
            List<String> extra = new ArrayList<>(byRecordName.keySet());
            extra.removeAll(targets.keySet());
            throw new IncompatibleStateException(
                    "saved " + what + "s do not match the network: missing " + missing + ", unexpected " + extra);
        }
        boolean previous = ai.djl.pytorch.jni.JniUtils.isGradMode();
        EngineRuntime.gradientMode(false);
        try {
            for (Map.Entry<String, NDArray> target : targets.entrySet()) {
                TensorRecord record = byRecordName.get(target.getKey());
                Shape expected = target.getValue().getShape();
                if (!Arrays.equals(expected.getShape(), record.shape())) {
                    throw new IncompatibleStateException("saved " + what + " " + record.name() + " has shape "
                            + Arrays.toString(record.shape()) + ", the network expects " + expected);
                }
                target.getValue().set(FloatBuffer.wrap(record.values()));
            }
        } finally {
            EngineRuntime.gradientMode(previous);
        }
    }
}
