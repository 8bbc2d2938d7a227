package dev.trainstream.ingest.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainstream.storage.dataset.ImageShape;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fast decoding path (reused readers, raster copy) yields exactly the pixels of {@code ImageIO.read} + {@code
 * getRGB} for every kind of image a folder may hold, so stored datasets (and their ids) do not depend on it.
 */
class ImageDecodingTest {
    @TempDir
    Path dir;

    @Test
    void givenJpegAndPngImagesOfEveryColourType_whenLoadedAsImageFolder_thenPixelsEqualImageIoReadAndGetRgb()
        throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        SplittableRandom random = new SplittableRandom(3);
        List<Integer> types = List.of(BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_INT_RGB,
            BufferedImage.TYPE_4BYTE_ABGR, BufferedImage.TYPE_BYTE_GRAY);
        int n = 0;
        for (int type : types) {
            for (String format : List.of("jpg", "png")) {
                if (format.equals("jpg") && type == BufferedImage.TYPE_4BYTE_ABGR) {
                    continue; // the JPEG writer has no alpha
                }
                for (int copy = 0; copy < 3; copy++) {
                    files.put("train/c" + (n % 2) + "/img" + n + "." + format, encode(noise(type, random), format));
                    n++;
                }
            }
        }
        files.put("test/c0/t.jpg", encode(noise(BufferedImage.TYPE_3BYTE_BGR, random), "jpg"));
        Path root = DatasetFixtures.writeFolder(dir.resolve("mixed"), files);

        LoadedDataset loaded = new ImageFolder(root, ImageShape.cifar(), true, "x").load();

        // Train order: class folders sorted, files in folder (sorted) order within each class.
        List<String> order = files.keySet().stream().filter(p -> p.startsWith("train/")).sorted().toList();
        byte[] pixels = loaded.train().pixels();
        assertThat(loaded.train().count()).isEqualTo(order.size());
        for (int i = 0; i < order.size(); i++) {
            byte[] expected = reference(files.get(order.get(i)));
            assertThat(Arrays.copyOfRange(pixels, i * 3072, (i + 1) * 3072)).as(order.get(i)).isEqualTo(expected);
        }
    }

    private static BufferedImage noise(int type, SplittableRandom random) {
        BufferedImage image = new BufferedImage(32, 32, type);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                image.setRGB(x, y, random.nextInt() | (type == BufferedImage.TYPE_4BYTE_ABGR ? 0 : 0xFF000000));
            }
        }
        return image;
    }

    private static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(image, format.equals("jpg") ? "jpeg" : "png", out)).as(format).isTrue();
        return out.toByteArray();
    }

    /** What ingest stored before the fast path: ImageIO.read, then getRGB pixel by pixel, as CHW. */
    private static byte[] reference(byte[] file) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(file));
        byte[] out = new byte[3072];
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                int rgb = image.getRGB(x, y);
                int p = y * 32 + x;
                out[p] = (byte) (rgb >> 16);
                out[p + 1024] = (byte) (rgb >> 8);
                out[p + 2048] = (byte) rgb;
            }
        }
        return out;
    }
}
