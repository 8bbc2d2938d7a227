package dev.trainstream.evaluator.export;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.trainstream.engine.data.Normalization;
import dev.trainstream.engine.model.MobileNetV1;
import dev.trainstream.engine.runtime.EngineRuntime;
import dev.trainstream.engine.state.IncompatibleStateException;
import dev.trainstream.engine.state.SavedState;
import dev.trainstream.engine.state.TrainingStateArchive;
import dev.trainstream.engine.training.EngineOptions;
import dev.trainstream.engine.training.NetworkParameters;
import dev.trainstream.events.codec.EventCodec;
import dev.trainstream.storage.ObjectStore;
import dev.trainstream.storage.ObjectUri;
import dev.trainstream.storage.StorageException;
import dev.trainstream.storage.checkpoint.BestModelPointer;
import dev.trainstream.storage.checkpoint.BestModelStore;
import dev.trainstream.storage.checkpoint.CheckpointArchive;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a run's best model as a plain DJL model directory ({@code Model.save} of the MobileNetV1 block with the best
 * checkpoint's weights, BN running statistics included) plus {@code metadata.json}, so a user can load and run it with
 * DJL alone: {@code Model.newInstance(name)}, {@code setBlock(MobileNetV1.of(metadata.model()).toBlock())},
 * {@code load(dir, name)}, then preprocess pixels as {@link ExportedModelMetadata.Normalization} says.
 */
public final class BestModelExporter {
    /** DJL model name, hence the parameter file {@code mobilenet-v1-0000.params}. */
    public static final String MODEL_NAME = "mobilenet-v1";
    public static final String METADATA_FILE = "metadata.json";
    private static final int CHANNELS = 3;

    private final ObjectStore objects;
    private final BestModelStore best;
    private final EngineOptions engine;
    private final Clock clock;

    public BestModelExporter(ObjectStore objects, EngineOptions engine, Clock clock) {
        if (objects == null || engine == null || clock == null) {
            throw new IllegalArgumentException("objects, engine and clock must be set");
        }
        this.objects = objects;
        this.best = new BestModelStore(objects);
        this.engine = engine;
        this.clock = clock;
    }

    /**
     * Exports the best model of {@code runId} into {@code outputDir} (created if missing, or replacing an earlier
     * export there; a directory holding anything else is refused); returns its metadata. The export appears whole or
     * not at all: {@code metadata.json} is put in place last.
     */
    public ExportedModelMetadata export(String runId, Path outputDir) {
        if (runId == null || runId.isBlank() || outputDir == null) {
            throw new IllegalArgumentException("run id and output directory must be set");
        }
        BestModelPointer pointer = best.current(runId).orElseThrow(() -> new ModelExportException("run " + runId
            + " has no best model yet (no " + best.uri(runId) + "): no checkpoint has passed the promotion gate"));
        CheckpointArchive archive = fetch(pointer);
        SavedState state;
        try {
            state = TrainingStateArchive.read(new ByteArrayInputStream(archive.engineState()));
        } catch (IOException e) {
            throw new ModelExportException("checkpoint " + pointer.checkpointUri() + " holds no readable model: "
                + e.getMessage(), e);
        }
        ExportedModelMetadata metadata = metadata(pointer, archive, state);
        try (StagedExport staged = StagedExport.into(outputDir, METADATA_FILE, BestModelExporter::isExportFile)) {
            saveModel(pointer, state, staged.path());
            Files.write(staged.path().resolve(METADATA_FILE), mapper().writeValueAsBytes(metadata));
            staged.publish();
        } catch (IOException e) {
            throw new UncheckedIOException("writing the exported model to " + outputDir + " failed", e);
        }
        return metadata;
    }

    /** The files an export consists of: what a previous export left may be replaced, anything else is not touched. */
    static boolean isExportFile(String name) {
        return name.equals(METADATA_FILE) || name.matches(java.util.regex.Pattern.quote(MODEL_NAME)
            + "-\\d{4}\\.params");
    }

    /** Reads {@code metadata.json} of an exported model directory. */
    public static ExportedModelMetadata readMetadata(Path modelDir) throws IOException {
        return mapper().readValue(modelDir.resolve(METADATA_FILE).toFile(), ExportedModelMetadata.class);
    }

    private CheckpointArchive fetch(BestModelPointer pointer) {
        try {
            byte[] bytes = objects.getVerified(ObjectUri.parse(pointer.checkpointUri()), pointer.sha256());
            return CheckpointArchive.decode(bytes, pointer.checkpointUri());
        } catch (StorageException e) {
            if (e.retriable()) {
                throw e;
            }
            throw new ModelExportException("best checkpoint " + pointer.checkpointUri() + " of run " + pointer.runId()
                + " cannot be used: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new ModelExportException(e.getMessage(), e);
        }
    }

    private void saveModel(BestModelPointer pointer, SavedState state, Path outputDir) throws IOException {
        Engine loaded = EngineRuntime.configure(engine);
        MobileNetV1 network = MobileNetV1.of(state.model());
        try (Model model = Model.newInstance(MODEL_NAME, Device.cpu(), loaded.getEngineName())) {
            model.setBlock(network.toBlock());
            NetworkParameters parameters = NetworkParameters.initialize(network, model.getNDManager(),
                state.config().seed());
            try {
                parameters.load(state.parameters());
            } catch (IncompatibleStateException e) {
                throw new ModelExportException("best checkpoint " + pointer.checkpointUri() + " of run "
                    + pointer.runId() + " cannot be exported: " + e.getMessage(), e);
            }
            model.setProperty("trainstream.step", Long.toString(state.globalStep()));
            model.save(outputDir, MODEL_NAME);
        }
    }

    private ExportedModelMetadata metadata(BestModelPointer pointer, CheckpointArchive archive, SavedState state) {
        var options = state.model();
        Map<String, String> versions = new LinkedHashMap<>(state.provenance());
        versions.keySet().retainAll(List.of("engine", "libtorch", "djl"));
        return new ExportedModelMetadata(ExportedModelMetadata.FORMAT_VERSION, MODEL_NAME, archive.metadata().classes(),
            new ExportedModelMetadata.Input("CHW", CHANNELS, options.resolution(), options.resolution()),
            normalization(state.config().normalization(CHANNELS)), options,
            new ExportedModelMetadata.Source(pointer.runId(), pointer.checkpointUri(), pointer.sha256(), pointer.step(),
                pointer.epoch(), pointer.accuracy(), pointer.meanLoss(), archive.metadata().datasetId(),
                pointer.testTimeAugmentation()),
            versions, clock.instant());
    }

    /**
     * The run's own preprocessing (the one its training and evaluation used: the dataset's statistics, or CIFAR-10's
     * for a run from before they were recorded), read back from its lookup table:
     * {@code f(v) = (v / 255 - mean) / std}, so {@code std = 1 / (f(255) - f(0))} and {@code mean = -f(0) * std}.
     */
    static ExportedModelMetadata.Normalization normalization(Normalization engineNormalization) {
        List<Double> mean = new ArrayList<>();
        List<Double> std = new ArrayList<>();
        for (int c = 0; c < CHANNELS; c++) {
            double atZero = engineNormalization.apply(c, (byte) 0);
            double atFull = engineNormalization.apply(c, (byte) 255);
            double s = 1.0 / (atFull - atZero);
            std.add(rounded(s));
            mean.add(rounded(-atZero * s));
        }
        return new ExportedModelMetadata.Normalization(255.0, mean, std);
    }

    /** Six decimals: the float table carries about seven significant digits, the rest is rounding noise. */
    private static double rounded(double value) {
        return BigDecimal.valueOf(value).setScale(6, RoundingMode.HALF_EVEN).doubleValue();
    }

    private static ObjectMapper mapper() {
        return EventCodec.newMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }
}
