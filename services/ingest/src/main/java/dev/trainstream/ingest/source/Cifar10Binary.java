package dev.trainstream.ingest.source;

import dev.trainstream.storage.dataset.DatasetManifest;
import dev.trainstream.storage.dataset.ImageShape;
import dev.trainstream.storage.dataset.Shard;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The official CIFAR-10 binary version ({@code cifar-10-batches-bin/}: {@code data_batch_1..5.bin},
 * {@code test_batch.bin}, {@code batches.meta.txt}), from a folder or the {@code .tar.gz}. Each record is one label
 * byte and 3072 pixel bytes (1024 R, 1024 G, 1024 B) — exactly the internal CHW layout. Each file is split into labels
 * and pixels as soon as it is read and its raw bytes dropped, so the archive is never held whole beside the result.
 */
public final class Cifar10Binary implements DatasetSource {
    static final int RECORD_BYTES = 1 + 3 * 32 * 32;
    static final List<String> TRAIN_FILES = List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin",
        "data_batch_4.bin", "data_batch_5.bin");
    static final String TEST_FILE = "test_batch.bin";
    static final String META_FILE = "batches.meta.txt";

    private final Path location;
    private final String checksum;
    private final ReadLimits limits;

    /**
     * @param location folder or {@code .tar.gz}
     * @param checksum checksum of the source recorded in the manifest (e.g. {@code md5:...}), or a description
     */
    public Cifar10Binary(Path location, String checksum) {
        this(location, checksum, ReadLimits.DEFAULT);
    }

    public Cifar10Binary(Path location, String checksum, ReadLimits limits) {
        this.location = location;
        this.checksum = checksum;
        this.limits = limits;
    }

    @Override
    public String describe() {
        return "CIFAR-10 binary at " + location;
    }

    /** One record file, split: its labels and its pixel bytes (the label bytes removed). */
    private record Part(String path, int[] labels, byte[] pixels) {
    }

    @Override
    public LoadedDataset load() throws DatasetException {
        Map<String, Part> parts = new HashMap<>();
        Map<String, byte[]> meta = new HashMap<>();
        ArchiveEntries.forEach(location, Cifar10Binary::isCifarFile, limits.maxFileBytes(), (path, bytes) -> {
            String base = baseName(path);
            Part earlier = parts.get(base);
            if (earlier != null || (META_FILE.equals(base) && !meta.isEmpty())) {
                throw new DatasetException("CIFAR-10 binary at " + location + " has " + base + " twice ("
                    + (earlier != null ? earlier.path() : meta.keySet().iterator().next()) + " and " + path
                    + "); keep one cifar-10-batches-bin/ folder");
            }
            if (META_FILE.equals(base)) {
                meta.put(path, bytes);
            } else {
                parts.put(base, split(path, bytes));
            }
        });
        List<String> classes = parseClasses(meta.isEmpty() ? null : meta.values().iterator().next());
        List<Part> train = new ArrayList<>();
        for (String name : TRAIN_FILES) {
            train.add(find(parts, name));
        }
        return new LoadedDataset(classes, join(train, classes.size()), join(List.of(find(parts, TEST_FILE)),
            classes.size()), new DatasetManifest.Source("cifar10-binary", location.toString(), checksum));
    }

    private static boolean isCifarFile(String path) {
        String base = baseName(path);
        return TRAIN_FILES.contains(base) || TEST_FILE.equals(base) || META_FILE.equals(base);
    }

    private static String baseName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private Part find(Map<String, Part> parts, String baseName) throws DatasetException {
        Part part = parts.get(baseName);
        if (part == null) {
            throw missing(baseName);
        }
        return part;
    }

    private DatasetException missing(String baseName) {
        return new DatasetException("CIFAR-10 binary at " + location + " lacks " + baseName
            + " (expected cifar-10-batches-bin/ with data_batch_1..5.bin, test_batch.bin, batches.meta.txt)");
    }

    private List<String> parseClasses(byte[] meta) throws DatasetException {
        if (meta == null) {
            throw missing(META_FILE);
        }
        List<String> classes = Arrays.stream(new String(meta, StandardCharsets.UTF_8).split("\\R"))
            .map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (classes.isEmpty() || classes.size() > 256) {
            throw new DatasetException(META_FILE + " in " + location + " must list 1-256 class names, found "
                + classes.size());
        }
        return classes;
    }

    private Part split(String path, byte[] data) throws DatasetException {
        String name = baseName(path);
        if (data.length == 0 || data.length % RECORD_BYTES != 0) {
            throw new DatasetException(name + " in " + location + " has " + data.length
                + " bytes, not a positive multiple of the " + RECORD_BYTES + "-byte record size (truncated or corrupt)");
        }
        int records = data.length / RECORD_BYTES;
        int[] labels = new int[records];
        byte[] pixels = new byte[records * (RECORD_BYTES - 1)];
        for (int r = 0; r < records; r++) {
            labels[r] = Byte.toUnsignedInt(data[r * RECORD_BYTES]);
            System.arraycopy(data, r * RECORD_BYTES + 1, pixels, r * (RECORD_BYTES - 1), RECORD_BYTES - 1);
        }
        return new Part(path, labels, pixels);
    }

    /** The parts in order as one shard; the class count is known only now (the meta file may come last). */
    private Shard join(List<Part> parts, int classCount) throws DatasetException {
        int records = parts.stream().mapToInt(p -> p.labels().length).sum();
        int[] labels = new int[records];
        byte[] pixels = new byte[Math.multiplyExact(records, RECORD_BYTES - 1)];
        int at = 0;
        for (Part part : parts) {
            for (int r = 0; r < part.labels().length; r++) {
                if (part.labels()[r] >= classCount) {
                    throw new DatasetException(baseName(part.path()) + " record " + r + " in " + location
                        + " has label " + part.labels()[r] + " but " + META_FILE + " lists only " + classCount
                        + " classes");
                }
            }
            System.arraycopy(part.labels(), 0, labels, at, part.labels().length);
            System.arraycopy(part.pixels(), 0, pixels, at * (RECORD_BYTES - 1), part.pixels().length);
            at += part.labels().length;
        }
        return new Shard(ImageShape.cifar(), labels, pixels);
    }
}
