package dev.trainstream.ingest.source;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.trainstream.storage.dataset.ImageShape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Coverage-guided fuzzing of what ingest reads from users: CIFAR-10 binary record files, {@code .tar.gz} archives
 * (read as both layouts) and PNG/JPEG images. Each answers with data or a {@link DatasetException} naming the file
 * (an image: an {@link IOException} or runtime exception, which {@link ImageFolder} turns into one), never an error,
 * an allocation the size a header claims, or a hang (docs/FUZZING.md).
 */
class DatasetDecodingFuzzTest {
    private static Path scratch;

    /** The bytes as {@code data_batch_1.bin} beside valid other files of a tiny CIFAR-10 folder. */
    @FuzzTest(maxDuration = "10s")
    void cifarRecords(byte[] bytes) throws IOException {
        Path folder = scratch().resolve("cifar");
        Files.write(folder.resolve("cifar-10-batches-bin/data_batch_1.bin"), bytes);
        try {
            new Cifar10Binary(folder, "fuzz").load();
        } catch (DatasetException expected) {
            // the documented answer, naming the file
        }
    }

    /** The bytes as a {@code .tar.gz}, read as CIFAR-10 binary and as an ImageFolder tree. */
    @FuzzTest(maxDuration = "10s")
    void tarGz(byte[] bytes) throws IOException {
        Path archive = scratch().resolve("fuzz.tar.gz");
        Files.write(archive, bytes);
        try {
            new Cifar10Binary(archive, "fuzz").load();
        } catch (DatasetException expected) {
            // the documented answer, naming the archive or the entry
        }
        try {
            new ImageFolder(archive, ImageShape.cifar(), false, "fuzz").load();
        } catch (DatasetException expected) {
            // the documented answer, naming the archive or the entry
        }
    }

    @FuzzTest(maxDuration = "10s")
    void image(byte[] bytes) {
        try {
            ImageDecoder.decode(bytes, ReadLimits.DEFAULT.maxImagePixels());
        } catch (IOException | RuntimeException expected) {
            // ImageFolder reports either as "image <path> in <dataset> is unreadable"
        }
    }

    private static synchronized Path scratch() {
        if (scratch == null) {
            try {
                scratch = Files.createTempDirectory("trainstream-fuzz");
                scratch.toFile().deleteOnExit();
                DatasetFixtures.writeFolder(scratch.resolve("cifar"), DatasetFixtures.cifarFiles(2));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return scratch;
    }
}
