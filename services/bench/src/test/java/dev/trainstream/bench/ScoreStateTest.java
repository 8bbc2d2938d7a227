package dev.trainstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainstream.engine.model.ModelOptions;
import dev.trainstream.engine.training.EngineOptions;
import dev.trainstream.engine.training.TrainingConfig;
import dev.trainstream.engine.training.TrainingSession;
import java.awt.Color;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench score} loads a saved state and scores the test split once per test-time augmentation. */
class ScoreStateTest {

    @TempDir
    Path dir;

    @Test
    void givenSavedStateAndMirrorSymmetricTestImages_whenScored_thenBothModesReportedAndFlipChangesNothing()
        throws Exception {
        Path archive = dir.resolve("mini.tar.gz");
        try (OutputStream tar = new GZIPOutputStream(Files.newOutputStream(archive))) {
            TinyCifarArchive.entry(tar, "train/cat/0001.jpg", TinyCifarArchive.jpeg(Color.GREEN));
            TinyCifarArchive.entry(tar, "test/cat/0001.jpg", TinyCifarArchive.jpeg(new Color(10, 250, 10)));
            TinyCifarArchive.entry(tar, "test/truck/0001.jpg", TinyCifarArchive.jpeg(new Color(250, 10, 10)));
            TinyCifarArchive.entry(tar, "test/ship/0001.jpg", TinyCifarArchive.jpeg(new Color(10, 10, 250)));
            tar.write(new byte[1024]);
        }
        Path state = dir.resolve("state.zip");
        try (TrainingSession session = TrainingSession.create(
                ModelOptions.builder().optWidthMultiplier(0.25).build(),
                TrainingConfig.builder().setTotalSteps(1).build(), EngineOptions.cpu(1));
             OutputStream out = Files.newOutputStream(state)) {
            session.save(out);
        }

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int code;
        try {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            code = BenchCommand.commandLine().execute("score", "--state", state.toString(), "--data",
                archive.toString(), "--threads", "1", "--batch", "2");
        } finally {
            System.setOut(original);
        }

        String out = printed.toString(StandardCharsets.UTF_8);
        assertThat(code).as(out).isZero();
        assertThat(out).contains("step 0, epoch 0; 3 test images, batch 2").contains("tta none").contains("tta hflip")
            .contains("hflip - none: +0.00 accuracy points");
    }
}
