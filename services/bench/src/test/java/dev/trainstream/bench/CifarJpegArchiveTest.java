package dev.trainstream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainstream.engine.data.LabeledImages;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads a tiny archive in the real layout: split/class/name.jpg, decoded to CHW bytes with alphabetical labels. */
class CifarJpegArchiveTest {

    @TempDir
    Path dir;

    private static byte[] jpeg(Color color) throws IOException {
        BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                image.setRGB(x, y, color.getRGB());
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpg", out);
        return out.toByteArray();
    }

    private static void entry(OutputStream tar, String name, byte[] content) throws IOException {
        byte[] header = new byte[512];
        byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(nameBytes, 0, header, 0, nameBytes.length);
        byte[] size = String.format("%011o", content.length).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(size, 0, header, 124, size.length);
        header[156] = '0';
        tar.write(header);
        tar.write(content);
        tar.write(new byte[(512 - content.length % 512) % 512]);
    }

    @Test
    void givenArchiveInCifarLayout_whenLoaded_thenImagesDecodedToChwWithAlphabeticalLabels() throws IOException {
        Path archive = dir.resolve("mini.tar.gz");
        try (OutputStream tar = new GZIPOutputStream(Files.newOutputStream(archive))) {
            entry(tar, "train/truck/0001.jpg", jpeg(new Color(250, 10, 10)));
            entry(tar, "train/airplane/0001.jpg", jpeg(new Color(10, 10, 250)));
            entry(tar, "test/cat/0001.jpg", jpeg(new Color(10, 250, 10)));
            entry(tar, "README.txt", "ignored".getBytes(StandardCharsets.US_ASCII));
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
            entry(tar, "train/unicorn/0001.jpg", jpeg(Color.BLACK));
            tar.write(new byte[1024]);
        }

        assertThatThrownBy(() -> CifarJpegArchive.load(archive))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("train/unicorn/0001.jpg");
    }
}
