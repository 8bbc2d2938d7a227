package dev.trainstream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainstream.engine.data.LabeledImages;
import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads a tiny archive in the real layout: split/class/name.jpg, decoded to CHW bytes with alphabetical labels. */
class CifarJpegArchiveTest {

    @TempDir
    Path dir;

    @Test
    void givenArchiveInCifarLayout_whenLoaded_thenImagesDecodedToChwWithAlphabeticalLabels() throws IOException {
        Path archive = dir.resolve("mini.tar.gz");
        try (OutputStream tar = new GZIPOutputStream(Files.newOutputStream(archive))) {
            TinyCifarArchive.entry(tar, "train/truck/0001.jpg", TinyCifarArchive.jpeg(new Color(250, 10, 10)));
            TinyCifarArchive.entry(tar, "train/airplane/0001.jpg", TinyCifarArchive.jpeg(new Color(10, 10, 250)));
            TinyCifarArchive.entry(tar, "test/cat/0001.jpg", TinyCifarArchive.jpeg(new Color(10, 250, 10)));
            TinyCifarArchive.entry(tar, "README.txt", "ignored".getBytes(StandardCharsets.US_ASCII));
            tar.write(new byte[1024]);
        }

        CifarJpegArchive cifar = CifarJpegArchive.load(archive);

        LabeledImages train = cifar.train();
        assertThat(train.count()).isEqualTo(2);
        assertThat(train.labels()).containsExactly(0, 9);
        // airplane is blue: blue plane bright, red plane dark (JPEG is lossy: allow a margin)
        assertThat(train.pixels()[2 * 1024 + 500] & 0xFF).isGreaterThan(200);
        assertThat(train.pixels()[500] & 0xFF).isLessThan(50);
        assertThat(train.pixels()[3072 + 500] & 0xFF).isGreaterThan(200);
        assertThat(cifar.test().labels()).containsExactly(3);
        assertThat(cifar.test().pixels()[1024 + 10] & 0xFF).isGreaterThan(200);
    }

    @Test
    void givenUnknownClass_whenLoaded_thenRejectedNamingThePath() throws IOException {
        Path archive = dir.resolve("bad.tar.gz");
        try (OutputStream tar = new GZIPOutputStream(Files.newOutputStream(archive))) {
            TinyCifarArchive.entry(tar, "train/unicorn/0001.jpg", TinyCifarArchive.jpeg(Color.BLACK));
            tar.write(new byte[1024]);
        }

        assertThatThrownBy(() -> CifarJpegArchive.load(archive))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("train/unicorn/0001.jpg");
    }
}
