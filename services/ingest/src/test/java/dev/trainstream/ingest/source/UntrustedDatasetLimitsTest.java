package dev.trainstream.ingest.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainstream.storage.dataset.ImageShape;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Datasets are outside bytes: a file, a tar entry or an image that claims to be huge is refused by its claim, naming
 * it, before anything that size is allocated.
 */
class UntrustedDatasetLimitsTest {
    @TempDir
    Path dir;

    @Test
    void givenAPngWhoseHeaderClaimsTenGigapixels_whenLoaded_thenRefusedNamingTheFile() throws Exception {
        Map<String, byte[]> files = DatasetFixtures.imageFolderFiles(2);
        files.put("train/cats/bomb.png", withDimensions(DatasetFixtures.png(32, 32, 0xAA0000), 100_000, 100_000));
        Path root = DatasetFixtures.writeFolder(dir.resolve("i"), files);

        assertThatThrownBy(() -> new ImageFolder(root, ImageShape.cifar(), false, "x").load())
            .isInstanceOf(DatasetException.class).hasMessageContaining("train/cats/bomb.png")
            .hasMessageContaining("100000x100000");
    }

    @Test
    void givenATarEntryClaimingMoreThanAFileMayHave_whenLoaded_thenRefusedByItsHeader() throws Exception {
        // A header claiming 600 MiB followed by a few bytes: refused by the claim, not read until the stream ends.
        Path archive = dir.resolve("claims.tar.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(archive))) {
            TarArchiveEntry entry = new TarArchiveEntry("train/cats/huge.png");
            entry.setSize(600L << 20);
            byte[] header = new byte[512];
            entry.writeEntryHeader(header);
            out.write(header);
            out.write(new byte[4096]);
        }

        assertThatThrownBy(() -> new ImageFolder(archive, ImageShape.cifar(), false, "x").load())
            .isInstanceOf(DatasetException.class).hasMessageContaining("train/cats/huge.png")
            .hasMessageContaining("more than the " + ReadLimits.DEFAULT.maxFileBytes());
    }

    @Test
    void givenAFolderFileLargerThanAFileMayHave_whenLoaded_thenRefusedBeforeItIsRead() throws Exception {
        Path root = DatasetFixtures.writeFolder(dir.resolve("f"), DatasetFixtures.imageFolderFiles(1));
        try (RandomAccessFile sparse = new RandomAccessFile(root.resolve("train/cats/huge.png").toFile(), "rw")) {
            sparse.setLength(ReadLimits.DEFAULT.maxFileBytes() + 1); // sparse: no disk used
        }

        assertThatThrownBy(() -> new ImageFolder(root, ImageShape.cifar(), false, "x").load())
            .isInstanceOf(DatasetException.class).hasMessageContaining("train/cats/huge.png")
            .hasMessageContaining("more than the " + ReadLimits.DEFAULT.maxFileBytes());
    }

    @Test
    void givenASplitBeyondItsPixelBudget_whenLoaded_thenRefusedAtTheFirstImageOverIt() throws Exception {
        Path root = DatasetFixtures.writeFolder(dir.resolve("b"), DatasetFixtures.imageFolderFiles(3));
        long budget = 5L * ImageShape.cifar().pixelsPerImage();

        assertThatThrownBy(() -> new ImageFolder(root, ImageShape.cifar(), false, "x", budget).load())
            .isInstanceOf(DatasetException.class).hasMessageContaining("image 6 of split train")
            .hasMessageContaining("split the folder");
        assertThat(new ImageFolder(root, ImageShape.cifar(), false, "x", 6L * ImageShape.cifar().pixelsPerImage())
            .load().train().count()).isEqualTo(6);
    }

    @Test
    void givenMoreClassesThanAnEvaluationEventCarries_whenLoaded_thenRefusedAtTheFirstOneOver() throws Exception {
        Map<String, byte[]> files = new java.util.LinkedHashMap<>();
        byte[] png = DatasetFixtures.png(32, 32, 0x336699);
        for (int c = 0; c <= dev.trainstream.events.EvaluationCompleted.MAX_CLASSES; c++) {
            files.put(String.format("train/class-%03d/a.png", c), png);
        }
        files.put("test/class-000/a.png", png);
        Path root = DatasetFixtures.writeFolder(dir.resolve("many"), files);

        assertThatThrownBy(() -> new ImageFolder(root, ImageShape.cifar(), false, "x").load())
            .isInstanceOf(DatasetException.class).hasMessageContaining("more than 500 classes")
            .hasMessageContaining("class number 501");
    }

    @Test
    void givenAClassNameLongerThanAnEvaluationEventCarries_whenLoaded_thenRefusedNamingIt() throws Exception {
        Map<String, byte[]> files = DatasetFixtures.imageFolderFiles(1);
        String longName = "n".repeat(dev.trainstream.events.EvaluationCompleted.MAX_CLASS_NAME_CHARS + 1);
        files.put("train/" + longName + "/a.png", DatasetFixtures.png(32, 32, 0x112233));
        Path root = DatasetFixtures.writeFolder(dir.resolve("long"), files);

        assertThatThrownBy(() -> new ImageFolder(root, ImageShape.cifar(), false, "x").load())
            .isInstanceOf(DatasetException.class).hasMessageContaining("129 characters")
            .hasMessageContaining("at most 128");
    }

    @Test
    void givenLowerLimitsFromTheSettings_whenLoaded_thenTheyAreTheOnesApplied() throws Exception {
        Map<String, byte[]> files = DatasetFixtures.imageFolderFiles(1);
        files.put("train/cats/wide.png", withDimensions(DatasetFixtures.png(32, 32, 0x445566), 1001, 1000));
        Path root = DatasetFixtures.writeFolder(dir.resolve("limits"), files);

        assertThatThrownBy(() -> new ImageFolder(root, ImageShape.cifar(), false, "x", ReadLimits.of(512, 1)).load())
            .isInstanceOf(DatasetException.class).hasMessageContaining("train/cats/wide.png")
            .hasMessageContaining("1001x1000").hasMessageContaining("--max-image-megapixels");

        try (RandomAccessFile big = new RandomAccessFile(root.resolve("train/dogs/big.png").toFile(), "rw")) {
            big.setLength((1 << 20) + 1);
        }
        assertThatThrownBy(() -> new ImageFolder(root, ImageShape.cifar(), false, "x", ReadLimits.of(1, 40)).load())
            .isInstanceOf(DatasetException.class).hasMessageContaining("train/dogs/big.png")
            .hasMessageContaining("--max-file-mib");
        assertThatThrownBy(() -> ReadLimits.of(0, 40)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("--max-file-mib");
        assertThatThrownBy(() -> ReadLimits.of(512, 0)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("--max-image-megapixels");
    }

    /** The PNG with its IHDR width and height replaced (and the chunk's CRC recomputed). */
    private static byte[] withDimensions(byte[] png, int width, int height) throws IOException {
        byte[] out = png.clone();
        // Signature (8) + IHDR length (4) + "IHDR" (4): width and height follow, then 5 bytes, then the CRC.
        ByteBuffer.wrap(out, 16, 8).putInt(width).putInt(height);
        CRC32 crc = new CRC32();
        crc.update(out, 12, 4 + 13);
        ByteBuffer.wrap(out, 29, 4).putInt((int) crc.getValue());
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        copy.write(out);
        return copy.toByteArray();
    }
}
