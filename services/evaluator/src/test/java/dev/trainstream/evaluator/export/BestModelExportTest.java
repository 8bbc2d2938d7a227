package dev.trainstream.evaluator.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import dev.trainstream.engine.data.Normalization;
import dev.trainstream.engine.evaluation.EvaluationReport;
import dev.trainstream.engine.model.MobileNetV1;
import dev.trainstream.engine.state.SavedState;
import dev.trainstream.engine.state.TrainingStateArchive;
import dev.trainstream.evaluator.TrainedCheckpoints;
import dev.trainstream.events.CheckpointCreated;
import dev.trainstream.infra.EmbeddedS3;
import dev.trainstream.storage.ObjectStore;
import dev.trainstream.storage.RetryPolicy;
import dev.trainstream.storage.S3Settings;
import dev.trainstream.storage.checkpoint.BestModelPointer;
import dev.trainstream.storage.checkpoint.BestModelStore;
import dev.trainstream.storage.dataset.Shard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Specification of {@code trainstream export}: the run's best model comes out as a DJL model directory plus
 * metadata.json, and plain DJL (no Trainstream code but the MobileNetV1 block definition) classifies test images with
 * it as well as the evaluator scored it.
 */
class BestModelExportTest {
    @TempDir
    static Path workDir;
    private static EmbeddedS3 s3;
    private static ObjectStore objects;
    private static TrainedCheckpoints checkpoints;

    @BeforeAll
    static void startS3() {
        s3 = EmbeddedS3.start(workDir.resolve("s3"));
        objects = ObjectStore.connect(new S3Settings(s3.endpoint(), s3.accessKey(), s3.secretKey(), "trainstream",
            "us-east-1"), RetryPolicy.none());
        objects.ensureBucket();
        checkpoints = new TrainedCheckpoints(objects);
    }

    @AfterAll
    static void stopS3() {
        if (objects != null) {
            objects.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void givenARunWithABestModel_whenExported_thenPlainDjlLoadsItAndClassifiesTestImagesAsTheEvaluatorScoredIt()
        throws Exception {
        byte[] state = checkpoints.trainedState();
        CheckpointCreated best = checkpoints.store("run-export", 30, state);
        EvaluationReport scored = checkpoints.directScore(state);
        new BestModelStore(objects).replace(new BestModelPointer("run-export", best.checkpointUri(), best.sha256(),
            best.step(), best.epoch(), scored.accuracy(), scored.meanLoss(), Instant.now(), null, null, null));
        Path out = workDir.resolve("exported");

        ExportedModelMetadata written = new BestModelExporter(objects, TrainedCheckpoints.ENGINE, Clock.systemUTC())
            .export("run-export", out);

        assertThat(out.resolve(BestModelExporter.MODEL_NAME + "-0000.params")).isRegularFile();
        ExportedModelMetadata metadata = BestModelExporter.readMetadata(out);
        assertThat(metadata).isEqualTo(written);
        assertThat(metadata.classes()).isEqualTo(checkpoints.classes());
        assertThat(metadata.input()).isEqualTo(new ExportedModelMetadata.Input("CHW", 3, 32, 32));
        assertThat(metadata.source().checkpointUri()).isEqualTo(best.checkpointUri());
        assertThat(metadata.source().sha256()).isEqualTo(best.sha256());
        assertThat(metadata.source().testAccuracy()).isEqualTo(scored.accuracy());
        assertThat(metadata.source().testTimeAugmentation()).as("scored plainly, as a server scores one image").isNull();

        Shard test = checkpoints.testImages();
        List<Integer> predicted = classifyWithPlainDjl(out, metadata, test);
        long correct = 0;
        for (int i = 0; i < test.count(); i++) {
            correct += predicted.get(i) == test.labels()[i] ? 1 : 0;
        }
        double accuracy = (double) correct / test.count();
        assertThat(accuracy).as("above chance (0.1)").isGreaterThan(0.25);
        assertThat(accuracy).as("as the evaluator scored it").isCloseTo(scored.accuracy(), within(0.01));
    }

    @Test
    void givenTheEnginesPreprocessing_whenWrittenAsMetadata_thenMeanAndStdReproduceItForEveryPixelValue() {
        Normalization engine = Normalization.forChannels(3);
        ExportedModelMetadata.Normalization written = BestModelExporter.normalization(engine);

        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 256; v++) {
                double mine = (v / written.pixelScale() - written.mean().get(c)) / written.std().get(c);
                assertThat(mine).as("channel %d value %d", c, v).isCloseTo(engine.apply(c, (byte) v), within(1e-4));
            }
        }
    }

    @Test
    void givenARunWithoutABestModel_whenExported_thenItFailsNamingTheRunAndWritesNothing() {
        Path out = workDir.resolve("nothing");

        assertThatThrownBy(() -> new BestModelExporter(objects, TrainedCheckpoints.ENGINE, Clock.systemUTC())
            .export("run-never-promoted", out))
            .isInstanceOf(ModelExportException.class)
            .hasMessageContaining("run-never-promoted").hasMessageContaining("no best model");
        assertThat(Files.exists(out)).isFalse();
    }

    @Test
    void givenABestPointerToACheckpointWithAnotherDigest_whenExported_thenItFailsAsCorrupt() {
        byte[] state = checkpoints.trainedState();
        CheckpointCreated stored = checkpoints.store("run-tampered", 7, state);
        new BestModelStore(objects).replace(new BestModelPointer("run-tampered", stored.checkpointUri(),
            "0".repeat(64), 7, 0, 0.5, 1.0, Instant.now(), null, null, null));

        assertThatThrownBy(() -> new BestModelExporter(objects, TrainedCheckpoints.ENGINE, Clock.systemUTC())
            .export("run-tampered", workDir.resolve("tampered")))
            .isInstanceOf(ModelExportException.class)
            .hasMessageContaining("sha256 mismatch");
    }

    @Test
    void givenAnEarlierExport_whenReExportedAndThenAFailingExportRuns_thenTheDirectoryAlwaysHoldsOneWholeExport()
        throws Exception {
        BestModelExporter exporter = new BestModelExporter(objects, TrainedCheckpoints.ENGINE, Clock.systemUTC());
        Path out = workDir.resolve("re-exported");
        promote("run-re-export", checkpoints.store("run-re-export", 30, checkpoints.trainedState()));
        exporter.export("run-re-export", out);
        promote("run-re-export", checkpoints.store("run-re-export", 40, checkpoints.untrainedState()));

        exporter.export("run-re-export", out);

        assertThat(fileNames(out)).as("the new export replaced the old, no second parameter file beside it")
            .containsExactly(BestModelExporter.METADATA_FILE, BestModelExporter.MODEL_NAME + "-0000.params");
        assertThat(BestModelExporter.readMetadata(out).source().step()).isEqualTo(40);
        byte[] weights = Files.readAllBytes(out.resolve(BestModelExporter.MODEL_NAME + "-0000.params"));

        CheckpointCreated unfit = checkpoints.store("run-re-export", 50, withoutFirstParameter(
            checkpoints.untrainedState()));
        promote("run-re-export", unfit);
        Path fresh = workDir.resolve("never-exported");
        for (Path target : List.of(out, fresh)) {
            assertThatThrownBy(() -> exporter.export("run-re-export", target))
                .isInstanceOf(ModelExportException.class).hasMessageContaining(unfit.checkpointUri())
                .hasMessageContaining("conv1.weight");
        }

        assertThat(fileNames(out)).as("the failed export left the previous one as it was")
            .containsExactly(BestModelExporter.METADATA_FILE, BestModelExporter.MODEL_NAME + "-0000.params");
        assertThat(BestModelExporter.readMetadata(out).source().step()).isEqualTo(40);
        assertThat(Files.readAllBytes(out.resolve(BestModelExporter.MODEL_NAME + "-0000.params"))).isEqualTo(weights);
        assertThat(Files.exists(fresh)).as("no directory appears for a failed export").isFalse();
        assertThat(fileNames(workDir)).as("nothing staged is left beside the destinations")
            .noneMatch(name -> name.contains("staging"));
    }

    @Test
    void givenADirectoryHoldingOtherFiles_whenExportedInto_thenRefusedAndItsFilesAreUntouched() throws Exception {
        promote("run-foreign", checkpoints.store("run-foreign", 3, checkpoints.untrainedState()));
        Path home = Files.createDirectories(workDir.resolve("someones-home"));
        Files.writeString(home.resolve("notes.txt"), "mine");

        assertThatThrownBy(() -> new BestModelExporter(objects, TrainedCheckpoints.ENGINE, Clock.systemUTC())
            .export("run-foreign", home))
            .isInstanceOf(ModelExportException.class).hasMessageContaining("notes.txt")
            .hasMessageContaining("not an exported model");
        assertThat(fileNames(home)).containsExactly("notes.txt");
    }

    private static void promote(String runId, CheckpointCreated checkpoint) {
        new BestModelStore(objects).replace(new BestModelPointer(runId, checkpoint.checkpointUri(),
            checkpoint.sha256(), checkpoint.step(), checkpoint.epoch(), 0.5, 1.0, Instant.now(), null, null, null));
    }

    /** A checkpoint's state that reads but cannot be loaded into its network: a parameter is missing. */
    private static byte[] withoutFirstParameter(byte[] engineState) throws java.io.IOException {
        SavedState good = TrainingStateArchive.read(new java.io.ByteArrayInputStream(engineState));
        return TrainingStateArchive.toBytes(new SavedState(good.model(), good.config(), good.globalStep(),
            good.epoch(), good.optimizerStateNames(), good.parameters().subList(1, good.parameters().size()),
            good.optimizerState(), good.provenance()));
    }

    private static List<String> fileNames(Path directory) throws java.io.IOException {
        try (java.util.stream.Stream<Path> entries = Files.list(directory)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** What a user does with the directory: plain DJL, the block from MobileNetV1, preprocessing from metadata.json. */
    private static List<Integer> classifyWithPlainDjl(Path dir, ExportedModelMetadata metadata, Shard images)
        throws Exception {
        List<byte[]> inputs = new ArrayList<>();
        int size = images.shape().pixelsPerImage();
        for (int i = 0; i < images.count(); i++) {
            byte[] image = new byte[size];
            images.copyImage(i, image, 0);
            inputs.add(image);
        }
        try (Model model = Model.newInstance(metadata.modelName(), Device.cpu(), "PyTorch")) {
            model.setBlock(MobileNetV1.of(metadata.model()).toBlock());
            model.load(dir, metadata.modelName());
            try (Predictor<byte[], Integer> predictor = model.newPredictor(new PixelsToClass(metadata))) {
                return predictor.batchPredict(inputs);
            }
        }
    }

    /** A user's translator: CHW uint8 pixels normalised as metadata.json says, in; the arg-max class index, out. */
    private record PixelsToClass(ExportedModelMetadata metadata) implements Translator<byte[], Integer> {
        @Override
        public NDList processInput(TranslatorContext ctx, byte[] pixels) {
            var input = metadata.input();
            var norm = metadata.normalization();
            float[] values = new float[pixels.length];
            int plane = input.height() * input.width();
            for (int i = 0; i < pixels.length; i++) {
                int c = i / plane;
                values[i] = (float) (((pixels[i] & 0xFF) / norm.pixelScale() - norm.mean().get(c)) / norm.std().get(c));
            }
            NDArray array = ctx.getNDManager().create(values, new Shape(input.channels(), input.height(), input.width()));
            return new NDList(array);
        }

        @Override
        public Integer processOutput(TranslatorContext ctx, NDList list) {
            return (int) list.singletonOrThrow().argMax().getLong();
        }

        @Override
        public Batchifier getBatchifier() {
            return Batchifier.STACK;
        }
    }
}
