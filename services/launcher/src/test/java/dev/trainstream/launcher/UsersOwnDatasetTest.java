package dev.trainstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.trainstream.engine.data.Augmentation;
import dev.trainstream.engine.data.ChannelStatistics;
import dev.trainstream.engine.state.TrainingStateArchive;
import dev.trainstream.engine.training.EngineOptions;
import dev.trainstream.evaluator.export.BestModelExporter;
import dev.trainstream.evaluator.export.ExportedModelMetadata;
import dev.trainstream.events.EvaluationCompleted;
import dev.trainstream.events.codec.EventCodec;
import dev.trainstream.events.codec.InvalidEventException;
import dev.trainstream.events.consume.TopicReader;
import dev.trainstream.events.topics.Topics;
import dev.trainstream.storage.ObjectStore;
import dev.trainstream.storage.RetryPolicy;
import dev.trainstream.storage.S3Settings;
import dev.trainstream.storage.checkpoint.CheckpointArchive;
import dev.trainstream.storage.checkpoint.CheckpointStore;
import dev.trainstream.storage.dataset.DatasetManifest;
import dev.trainstream.storage.dataset.DatasetStore;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A user's own ImageFolder dataset, far from CIFAR-10 (dark images, three classes of its own names), through the whole
 * pipeline: its statistics are measured at ingest and equal a computation straight from the pixels written here, the
 * run trains and saves them, and the class names reach the evaluation events and the exported model.
 */
class UsersOwnDatasetTest {
    private static final List<String> CLASSES = List.of("coal", "ink", "soot");
    private static final int SIDE = 32;
    private static final String RUN = "users-own";

    @TempDir
    Path workDir;

    @Test
    void givenDarkImagesOfItsOwnClasses_whenUpRuns_thenItsStatisticsAndClassNamesAreUsedEverywhere() throws Exception {
        Path folder = workDir.resolve("dark-set");
        double[][] expected = writeDarkImageFolder(folder, 30, 8);
        UpCommand up = new UpCommand();
        SettingsCatalog.install(new CommandLine(up)).parseArgs("--dataset", folder.toString(), "--run-id", RUN, "--epochs", "2",
            "--batch-size", "30", "--width-multiplier", "0.25", "--augmentation", "crop", "--threads", "1",
            "--eval-threads", "1", "--device", "cpu", "--eval-device", "cpu", "--dashboard-port", "0",
            "--work-dir", workDir.resolve("local").toString());
        up.output(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        AtomicReference<DatasetManifest> manifest = new AtomicReference<>();
        AtomicReference<byte[]> finalState = new AtomicReference<>();
        AtomicReference<List<EvaluationCompleted>> evaluations = new AtomicReference<>();
        AtomicReference<ExportedModelMetadata> exported = new AtomicReference<>();

        UpCommand.Outcome outcome = up.runPipeline(infra -> {
            try (ObjectStore store = ObjectStore.connect(new S3Settings(infra.s3().endpoint(), infra.s3().accessKey(),
                infra.s3().secretKey(), "trainstream", "us-east-1"), RetryPolicy.none())) {
                String newest = new CheckpointStore(store).listNewestFirst(RUN).get(0).key();
                CheckpointArchive archive = CheckpointArchive.decode(store.get(newest), newest);
                manifest.set(new DatasetStore(store).readManifest(archive.metadata().manifestKey()));
                finalState.set(archive.engineState());
                evaluations.set(TopicReader.events(infra.kafka().bootstrapServers(), Topics.EVALUATIONS,
                    EventCodec.create("/test"), Duration.ofSeconds(30)).stream()
                    .filter(EvaluationCompleted.class::isInstance).map(EvaluationCompleted.class::cast).toList());
                exported.set(new BestModelExporter(store, EngineOptions.cpu(1), Clock.systemUTC())
                    .export(RUN, workDir.resolve("model")));
            } catch (InvalidEventException e) {
                throw new AssertionError("event violates its schema: " + e.getMessage(), e);
            }
        });

        // Ingest: the manifest carries the statistics of exactly the pixels written (3 channels), and the folder names.
        assertThat(manifest.get().classes()).isEqualTo(CLASSES);
        for (int c = 0; c < 3; c++) {
            assertThat(manifest.get().pixelStatistics().mean().get(c)).as("mean of channel %d", c)
                .isCloseTo(expected[0][c], within(1e-12));
            assertThat(manifest.get().pixelStatistics().std().get(c)).as("std of channel %d", c)
                .isCloseTo(expected[1][c], within(1e-12));
        }
        assertThat(expected[0][0]).as("far from CIFAR-10's mean (0.49)").isLessThan(0.15);

        // Training: the run's state normalises with them and augments as configured.
        var config = TrainingStateArchive.read(new ByteArrayInputStream(finalState.get())).config();
        assertThat(config.channelStatistics()).isEqualTo(new ChannelStatistics(
            manifest.get().pixelStatistics().mean(), manifest.get().pixelStatistics().std()));
        assertThat(config.augmentation()).isEqualTo(Augmentation.CROP);
        assertThat(outcome.trainer().epochs()).isEqualTo(2);

        // Evaluation and export: the dataset's class names, and the statistics the run trained with.
        assertThat(evaluations.get()).isNotEmpty().allSatisfy(e -> assertThat(e.classes()).isEqualTo(CLASSES));
        assertThat(exported.get().classes()).isEqualTo(CLASSES);
        for (int c = 0; c < 3; c++) {
            assertThat(exported.get().normalization().mean().get(c)).isCloseTo(expected[0][c], within(1e-6));
            assertThat(exported.get().normalization().std().get(c)).isCloseTo(expected[1][c], within(1e-6));
        }
    }

    /**
     * Writes {@code train/<class>/} and {@code test/<class>/} PNGs of dark pixels (0-63, a class-dependent channel
     * tint) and returns the per-channel mean and std of the training pixels in [0, 1], computed here from the values
     * written (population std, as normalisation uses).
     */
    private static double[][] writeDarkImageFolder(Path root, int trainPerClass, int testPerClass) throws Exception {
        SplittableRandom random = new SplittableRandom(17);
        double[] sum = new double[3];
        double[] squares = new double[3];
        long pixelsPerChannel = 0;
        for (String split : List.of("train", "test")) {
            int perClass = split.equals("train") ? trainPerClass : testPerClass;
            for (int label = 0; label < CLASSES.size(); label++) {
                Path dir = Files.createDirectories(root.resolve(split).resolve(CLASSES.get(label)));
                for (int i = 0; i < perClass; i++) {
                    BufferedImage image = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_INT_RGB);
                    for (int y = 0; y < SIDE; y++) {
                        for (int x = 0; x < SIDE; x++) {
                            int[] rgb = new int[3];
                            for (int c = 0; c < 3; c++) {
                                rgb[c] = random.nextInt(c == label ? 64 : 24);
                                if (split.equals("train")) {
                                    sum[c] += rgb[c] / 255.0;
                                    squares[c] += (rgb[c] / 255.0) * (rgb[c] / 255.0);
                                }
                            }
                            image.setRGB(x, y, rgb[0] << 16 | rgb[1] << 8 | rgb[2]);
                        }
                    }
                    if (split.equals("train")) {
                        pixelsPerChannel += (long) SIDE * SIDE;
                    }
                    ImageIO.write(image, "png", dir.resolve(i + ".png").toFile());
                }
            }
        }
        double[][] stats = new double[2][3];
        for (int c = 0; c < 3; c++) {
            stats[0][c] = sum[c] / pixelsPerChannel;
            stats[1][c] = Math.sqrt(squares[c] / pixelsPerChannel - stats[0][c] * stats[0][c]);
        }
        return stats;
    }
}
