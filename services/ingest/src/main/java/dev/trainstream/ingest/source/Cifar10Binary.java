package dev.trainstream.ingest.source;

import dev.trainstream.storage.dataset.DatasetManifest;
import dev.trainstream.storage.dataset.ImageShape;
import dev.trainstream.storage.dataset.Shard;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The official CIFAR-10 binary version ({@code cifar-10-batches-bin/}: {@code data_batch_1..5.bin},
 * {@code test_batch.bin}, {@code batches.meta.txt}), from a folder or the {@code .tar.gz}. Each record is one label
 * byte and 3072 pixel bytes (1024 R, 1024 G, 1024 B) — exactly the internal CHW layout.
 */
public final class Cifar10Binary implements DatasetSource {
    static final int RECORD_BYTES = 1 + 3 * 32 * 32;
    static final List<String> TRAIN_FILES = List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin",
        "data_batch_4.bin", "data_batch_5.bin");
    static final String TEST_FILE = "test_batch.bin";
    static final String META_FILE = "batches.meta.txt";

    private final Path location;
    private final String checksum;

    /**
     * @param location folder or {@code .tar.gz}
     * @param checksum checksum of the source recorded in the manifest (e.g. {@code md5:...}), or a description
     */
    public Cifar10Binary(Path location, String checksum) {
        this.location = location;
        this.checksum = checksum;
    }

    @Override
    public String describe() {
        return "CIFAR-10 binary at " + location;
    }

    @Override
    public LoadedDataset load() throws DatasetException {
        Map<String, byte[]> files = ArchiveEntries.read(location, Cifar10Binary::isCifarFile);
        List<String> classes = parseClasses(find(files, META_FILE));
        List<byte[]> trainParts = new ArrayList<>();
        for (String name : TRAIN_FILES) {
            trainParts.add(find(files, name));
        }
        Shard train = parseRecords(TRAIN_FILES, trainParts, classes.size());
        Shard test = parseRecords(List.of(TEST_FILE), List.of(find(files, TEST_FILE)), classes.size());
        return new LoadedDataset(classes, train, test,
            new DatasetManifest.Source("cifar10-binary", location.toString(), checksum));
    }

    private static boolean isCifarFile(String path) {
        String base = path.substring(path.lastIndexOf('/') + 1);
        return TRAIN_FILES.contains(base) || TEST_FILE.equals(base) || META_FILE.equals(base);
    }

    private byte[] find(Map<String, byte[]> files, String baseName) throws DatasetException {
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            if (e.getKey().equals(baseName) || e.getKey().endsWith("/" + baseName)) {
                return e.getValue();
            }
        }
        throw new DatasetException("CIFAR-10 binary at " + location + " lacks " + baseName
            + " (expected cifar-10-batches-bin/ with data_batch_1..5.bin, test_batch.bin, batches.meta.txt)");
    }

    private List<String> parseClasses(byte[] meta) throws DatasetException {
        List<String> classes = Arrays.stream(new String(meta, StandardCharsets.UTF_8).split("\\R"))
            .map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (classes.isEmpty() || classes.size() > 256) {
            throw new DatasetException(META_FILE + " in " + location + " must list 1-256 class names, found "
                + classes.size());
        }
        return classes;
    }

    private Shard parseRecords(List<String> names, List<byte[]> parts, int classCount) throws DatasetException {
        ByteArrayOutputStream pixels = new ByteArrayOutputStream();
        List<Integer> labels = new ArrayList<>();
        for (int f = 0; f < names.size(); f++) {
            byte[] data = parts.get(f);
            if (data.length == 0 || data.length % RECORD_BYTES != 0) {
                throw new DatasetException(names.get(f) + " in " + location + " has " + data.length
                    + " bytes, not a positive multiple of the " + RECORD_BYTES + "-byte record size (truncated or corrupt)");
            }
            for (int r = 0; r < data.length / RECORD_BYTES; r++) {
                int label = Byte.toUnsignedInt(data[r * RECORD_BYTES]);
                if (label >= classCount) {
                    throw new DatasetException(names.get(f) + " record " + r + " in " + location + " has label " + label
                        + " but " + META_FILE + " lists only " + classCount + " classes");
                }
                labels.add(label);
                pixels.write(data, r * RECORD_BYTES + 1, RECORD_BYTES - 1);
            }
        }
        return new Shard(ImageShape.cifar(), labels.stream().mapToInt(Integer::intValue).toArray(), pixels.toByteArray());
    }
}
