package dev.trainstream.engine.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainstream.engine.model.ModelOptions;
import dev.trainstream.engine.training.TrainingConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The on-the-wire training state: ONE zip stream with {@code state.json} (format version, configs, counters,
 * provenance), {@code parameters.bin} and {@code optimizer.bin} (named float32 tensors, little-endian). Zip CRCs
 * catch corruption; every mismatch surfaces as {@link IncompatibleStateException}.
 */
public final class TrainingStateArchive {

    /** Bumped on any incompatible change of the layout below. */
    public static final int FORMAT_VERSION = 1;

    static final String STATE_ENTRY = "state.json";
    static final String PARAMETERS_ENTRY = "parameters.bin";
    static final String OPTIMIZER_ENTRY = "optimizer.bin";
    /** The three entries {@link #write} writes, and room for a few a later format might add. */
    private static final int MAX_ENTRIES = 16;
    private static final int TENSORS_MAGIC = 0x54534E31; // "TSN1"

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private TrainingStateArchive() {}

    /** Writes {@code state} to {@code out} (which stays open). */
    public static void write(SavedState state, OutputStream out) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        ObjectNode json = JSON.createObjectNode();
        json.put("formatVersion", FORMAT_VERSION);
        json.set("model", JSON.valueToTree(state.model()));
        json.set("config", JSON.valueToTree(state.config()));
        json.put("globalStep", state.globalStep());
        json.put("epoch", state.epoch());
        json.set("optimizerStateNames", JSON.valueToTree(state.optimizerStateNames()));
        json.set("provenance", JSON.valueToTree(state.provenance()));
        zip.putNextEntry(new ZipEntry(STATE_ENTRY));
        zip.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(json));
        zip.closeEntry();
        zip.putNextEntry(new ZipEntry(PARAMETERS_ENTRY));
        writeTensors(state.parameters(), zip);
        zip.closeEntry();
        zip.putNextEntry(new ZipEntry(OPTIMIZER_ENTRY));
        writeTensors(state.optimizerState(), zip);
        zip.closeEntry();
        zip.finish();
        zip.flush();
    }

    /**
     * Reads a state written by {@link #write}; rejects corrupt, truncated or incompatible input, and input whose
     * entries expand beyond what real states do ({@link InflationLimit}) before it fills the heap.
     */
    public static SavedState read(InputStream in) throws IOException {
        Map<String, byte[]> entries = new HashMap<>();
        InflationLimit limit = InflationLimit.over(in);
        try {
            ZipInputStream zip = new ZipInputStream(limit.input());
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                if (entries.containsKey(entry.getName()) || entries.size() >= MAX_ENTRIES) {
                    throw new IncompatibleStateException("training state has a repeated or extra entry "
                        + entry.getName() + " (found " + entries.keySet() + ")");
                }
                entries.put(entry.getName(), limit.readEntry(zip, entry.getName()));
            }
        } catch (ZipException | EOFException e) {
            throw new IncompatibleStateException("training state is corrupt or truncated: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            // The JDK's zip reader throws this for an entry name that is not valid UTF-8 (found by fuzzing): it is
            // corrupt input, not an engine failure to retry.
            throw new IncompatibleStateException("training state has a malformed entry name: " + e.getMessage(), e);
        }
        for (String required : List.of(STATE_ENTRY, PARAMETERS_ENTRY, OPTIMIZER_ENTRY)) {
            if (!entries.containsKey(required)) {
                throw new IncompatibleStateException("training state lacks entry " + required
                        + " (found " + entries.keySet() + ")");
            }
        }
        try {
            JsonNode json = JSON.readTree(entries.get(STATE_ENTRY));
            int version = json.path("formatVersion").asInt(-1);
            if (version > FORMAT_VERSION) {
                throw new UnsupportedStateVersionException("training state format version " + version
                        + " is newer than this build reads (" + FORMAT_VERSION + ")");
            }
            if (version != FORMAT_VERSION) {
                throw new IncompatibleStateException("training state format version " + version
                        + " is not supported (expected " + FORMAT_VERSION + ")");
            }
            ModelOptions model = JSON.treeToValue(json.get("model"), ModelOptions.class);
            TrainingConfig config = JSON.treeToValue(json.get("config"), TrainingConfig.class);
            List<String> stateNames = new ArrayList<>();
            json.path("optimizerStateNames").forEach(n -> stateNames.add(n.asText()));
            Map<String, String> provenance = new HashMap<>();
            json.path("provenance").fields().forEachRemaining(e -> provenance.put(e.getKey(), e.getValue().asText()));
            return new SavedState(model, config, json.path("globalStep").asLong(-1), json.path("epoch").asInt(-1),
                    stateNames, readTensors(entries.get(PARAMETERS_ENTRY), PARAMETERS_ENTRY),
                    readTensors(entries.get(OPTIMIZER_ENTRY), OPTIMIZER_ENTRY), provenance);
        } catch (JsonProcessingException | IllegalArgumentException | NullPointerException e) {
            throw new IncompatibleStateException("training state is invalid: " + e.getMessage(), e);
        }
    }

    private static void writeTensors(List<TensorRecord> tensors, OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(TENSORS_MAGIC);
        data.writeInt(tensors.size());
        for (TensorRecord tensor : tensors) {
            data.writeUTF(tensor.name());
            data.writeInt(tensor.shape().length);
            for (long d : tensor.shape()) {
                data.writeLong(d);
            }
            ByteBuffer bytes = ByteBuffer.allocate(tensor.values().length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asFloatBuffer().put(tensor.values());
            data.writeInt(tensor.values().length);
            data.write(bytes.array());
        }
        data.flush();
    }

    private static List<TensorRecord> readTensors(byte[] content, String entry) throws IOException {
        try (DataInputStream data = new DataInputStream(new ByteArrayInputStream(content))) {
            if (data.readInt() != TENSORS_MAGIC) {
                throw new IncompatibleStateException(entry + " is not a tensor file");
            }
            int count = data.readInt();
            List<TensorRecord> tensors = new ArrayList<>(Math.max(0, Math.min(count, 4096)));
            for (int i = 0; i < count; i++) {
                String name = data.readUTF();
                int rank = data.readInt();
                if (rank < 0 || rank > 8) {
                    throw new IncompatibleStateException(entry + ": tensor " + name + " has rank " + rank);
                }
                long[] shape = new long[rank];
                for (int d = 0; d < rank; d++) {
                    shape[d] = data.readLong();
                }
                int length = data.readInt();
                if (length < 0 || length > content.length / Float.BYTES) {
                    throw new IncompatibleStateException(entry + ": tensor " + name + " claims " + length + " values");
                }
                byte[] raw = new byte[length * Float.BYTES];
                data.readFully(raw);
                float[] values = new float[length];
                ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
                tensors.add(new TensorRecord(name, shape, values));
            }
            return tensors;
        } catch (EOFException e) {
            throw new IncompatibleStateException(entry + " is truncated", e);
        }
    }

    /** Serialises to a byte array (tests and small checkpoints). */
    public static byte[] toBytes(SavedState state) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(state, out);
        return out.toByteArray();
    }
}
