package dev.trainstream.bench;

import dev.trainstream.engine.data.LabeledImages;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes images decoded from the JPEG archive in the official CIFAR-10 binary layout ({@code cifar-10-batches-bin/}
 * in a {@code .tar.gz}: five train batches, the test batch, {@code batches.meta.txt}), so the ingest benchmark can
 * time the default source format, which needs no image decoding, without internet access.
 */
final class CifarBinaryArchive {
    private static final int TRAIN_BATCHES = 5;

    private CifarBinaryArchive() {
    }

    /** Writes {@code cifar} to {@code archive}; returns the archive. */
    static Path write(CifarJpegArchive cifar, Path archive) throws IOException {
        LabeledImages train = cifar.train();
        try (OutputStream file = Files.newOutputStream(archive);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(file, 1 << 16))) {
            int perBatch = train.count() / TRAIN_BATCHES;
            for (int b = 0; b < TRAIN_BATCHES; b++) {
                int to = b == TRAIN_BATCHES - 1 ? train.count() : (b + 1) * perBatch;
                entry(tar, "data_batch_" + (b + 1) + ".bin", records(train, b * perBatch, to));
            }
            entry(tar, "test_batch.bin", records(cifar.test(), 0, cifar.test().count()));
            entry(tar, "batches.meta.txt", (String.join("\n", CifarJpegArchive.CLASSES) + "\n")
                .getBytes(StandardCharsets.UTF_8));
        }
        return archive;
    }

    private static byte[] records(LabeledImages images, int from, int to) {
        int size = images.imageSize();
        byte[] out = new byte[(to - from) * (size + 1)];
        for (int i = from; i < to; i++) {
            int at = (i - from) * (size + 1);
            out[at] = (byte) images.labels()[i];
            System.arraycopy(images.pixels(), i * size, out, at + 1, size);
        }
        return out;
    }

    private static void entry(TarArchiveOutputStream tar, String name, byte[] body) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry("cifar-10-batches-bin/" + name);
        entry.setSize(body.length);
        tar.putArchiveEntry(entry);
        tar.write(body);
        tar.closeArchiveEntry();
    }
}
