package dev.trainstream.ingest.source;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Builds small, real-format datasets on disk for tests: CIFAR-10 binary archives and ImageFolder trees. */
public final class DatasetFixtures {
    private DatasetFixtures() {
    }

    /** The files of a CIFAR-10 binary folder with {@code perBatch} records per batch file and labels i % 10. */
    public static Map<String, byte[]> cifarFiles(int perBatch) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("cifar-10-batches-bin/batches.meta.txt", String.join("\n", SyntheticDataset.CLASSES)
            .concat("\n\n").getBytes(StandardCharsets.UTF_8));
        for (String name : Cifar10Binary.TRAIN_FILES) {
            files.put("cifar-10-batches-bin/" + name, records(perBatch, name.hashCode()));
        }
        files.put("cifar-10-batches-bin/" + Cifar10Binary.TEST_FILE, records(perBatch, 7));
        return files;
    }

    public static byte[] records(int count, int salt) {
        byte[] out = new byte[count * Cifar10Binary.RECORD_BYTES];
        for (int r = 0; r < count; r++) {
            out[r * Cifar10Binary.RECORD_BYTES] = (byte) (r % 10);
            for (int p = 1; p < Cifar10Binary.RECORD_BYTES; p++) {
                out[r * Cifar10Binary.RECORD_BYTES + p] = (byte) (p * 31 + r * 7 + salt);
            }
        }
        return out;
    }

    public static Path writeFolder(Path root, Map<String, byte[]> files) throws IOException {
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            Path file = root.resolve(e.getKey());
            Files.createDirectories(file.getParent());
            Files.write(file, e.getValue());
        }
        return root;
    }

    public static Path writeTarGz(Path archive, Map<String, byte[]> files) throws IOException {
        try (OutputStream out = Files.newOutputStream(archive);
             GzipCompressorOutputStream gz = new GzipCompressorOutputStream(out);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
            for (Map.Entry<String, byte[]> e : files.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
                entry.setSize(e.getValue().length);
                tar.putArchiveEntry(entry);
                tar.write(e.getValue());
                tar.closeArchiveEntry();
            }
        }
        return archive;
    }

    /** A PNG of the given size filled with one colour. */
    public static byte[] png(int width, int height, int rgb) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, rgb);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    /** An ImageFolder tree with two classes, {@code perClass} 32x32 images each in train and one each in test. */
    public static Map<String, byte[]> imageFolderFiles(int perClass) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (int i = 0; i < perClass; i++) {
            files.put("train/cats/c" + i + ".png", png(32, 32, 0xAA0000 + i));
            files.put("train/dogs/d" + i + ".png", png(32, 32, 0x0000AA + i));
        }
        files.put("test/cats/c.png", png(32, 32, 0xAA0000));
        files.put("test/dogs/d.png", png(32, 32, 0x0000AA));
        return files;
    }
}
