package dev.trainstream.bench;

import dev.trainstream.engine.data.LabeledImages;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import javax.imageio.ImageIO;

/**
 * CIFAR-10 as JPEG files in a tar.gz ({@code train/<class>/*.jpg}, {@code test/<class>/*.jpg}) decoded into CHW
 * uint8 arrays; classes are indexed in alphabetical order, which is CIFAR-10's own order.
 */
public final class CifarJpegArchive {

    /** CIFAR-10 class names in label order. */
    public static final List<String> CLASSES = List.of(
            "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

    private static final int SIZE = 32;
    private static final int IMAGE_BYTES = 3 * SIZE * SIZE;

    private final LabeledImages train;
    private final LabeledImages test;

    private CifarJpegArchive(LabeledImages train, LabeledImages test) {
        this.train = train;
        this.test = test;
    }

    /** Decodes the whole archive (about 60,000 JPEGs). */
    public static CifarJpegArchive load(Path archive) throws IOException {
        Map<String, List<byte[]>> train = new TreeMap<>();
        Map<String, List<byte[]>> test = new TreeMap<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(archive), 1 << 16)) {
            TarEntries.forEachFile(in, (path, content) -> {
                String[] parts = path.split("/");
                if (parts.length != 3 || !parts[2].endsWith(".jpg")) {
                    return;
                }
                Map<String, List<byte[]>> split = switch (parts[0]) {
                    case "train" -> train;
                    case "test" -> test;
                    default -> throw new IllegalArgumentException("unexpected split in " + path);
                };
                if (!CLASSES.contains(parts[1])) {
                    throw new IllegalArgumentException("unexpected class in " + path);
                }
                split.computeIfAbsent(parts[1], k -> new ArrayList<>()).add(decode(path, content));
            });
        }
        return new CifarJpegArchive(flatten(train), flatten(test));
    }

    /** All training images. */
    public LabeledImages train() {
        return train;
    }

    /** All test images. */
    public LabeledImages test() {
        return test;
    }

    private static byte[] decode(String path, byte[] jpeg) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(jpeg));
            if (image == null || image.getWidth() != SIZE || image.getHeight() != SIZE) {
                throw new IllegalArgumentException(path + " is not a 32x32 image");
            }
            byte[] chw = new byte[IMAGE_BYTES];
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    int rgb = image.getRGB(x, y);
                    int p = y * SIZE + x;
                    chw[p] = (byte) (rgb >> 16);
                    chw[SIZE * SIZE + p] = (byte) (rgb >> 8);
                    chw[2 * SIZE * SIZE + p] = (byte) rgb;
                }
            }
            return chw;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot decode " + path, e);
        }
    }

    private static LabeledImages flatten(Map<String, List<byte[]>> byClass) {
        int count = byClass.values().stream().mapToInt(List::size).sum();
        if (count == 0) {
            throw new IllegalArgumentException("archive split holds no images");
        }
        byte[] pixels = new byte[count * IMAGE_BYTES];
        int[] labels = new int[count];
        int i = 0;
        for (Map.Entry<String, List<byte[]>> entry : byClass.entrySet()) {
            int label = CLASSES.indexOf(entry.getKey());
            for (byte[] image : entry.getValue()) {
                System.arraycopy(image, 0, pixels, i * IMAGE_BYTES, IMAGE_BYTES);
                labels[i++] = label;
            }
        }
        return new LabeledImages(count, 3, SIZE, SIZE, pixels, labels);
    }
}
