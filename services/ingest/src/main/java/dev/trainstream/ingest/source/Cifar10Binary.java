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
public final class Cifar10Binary implements StreamingSource {
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

    /** The official archive's 60,000 records, as the shard format stores them (label as u16 + pixels). */
    @Override
    public long estimatedBytes() {
        return 60_000L * (RECORD_BYTES + 1);
    }

    @Override
    public String describe() {
        return "CIFAR-10 binary at " + location;
    }

    /** One record file, split: its labels and its pixel bytes (the label bytes removed). */
    private record Part(String path, Shard records) {
    }

    @Override
    public LoadedDataset load() throws DatasetException {
        List<Shard> train = new ArrayList<>();
        List<Shard> test = new ArrayList<>();
        Streamed streamed = stream((split, block) -> (split == RecordSink.Split.TRAIN ? train : test).add(block));
        return new LoadedDataset(streamed.classes(), join(train), join(test), streamed.source());
    }

    /**
     * Hands each record file over as soon as it is read and every file before it in the canonical order
     * (data_batch_1..5, then test_batch) has been; files that arrive early wait in memory. Labels are checked against
     * the class list as soon as both are known: a file handed over before {@code batches.meta.txt} was read is checked
     * when it is. An archive in canonical order is therefore streamed file by file; any other order still gives the
     * same records in the same order, with less overlap.
     */
    @Override
    public Streamed stream(RecordSink sink) throws DatasetException {
        InOrder order = new InOrder(sink);
        Map<String, String> seen = new HashMap<>();
        ArchiveEntries.forEach(location, Cifar10Binary::isCifarFile, limits.maxFileBytes(), (path, bytes) -> {
            String base = baseName(path);
            String earlier = seen.putIfAbsent(base, path);
            if (earlier != null) {
                throw new DatasetException("CIFAR-10 binary at " + location + " has " + base + " twice (" + earlier
                    + " and " + path + "); keep one cifar-10-batches-bin/ folder");
            }
            if (META_FILE.equals(base)) {
                order.classes(parseClasses(bytes));
            } else {
                order.arrived(base, split(path, bytes));
            }
        });
        if (order.classes == null) {
            throw missing(META_FILE);
        }
        if (!order.expected().isEmpty()) {
            throw missing(order.expected().get(0));
        }
        return new Streamed(order.classes, new DatasetManifest.Source("cifar10-binary", location.toString(), checksum));
    }

    /** Releases parts to the sink in canonical order and checks their labels once the class list is known. */
    private final class InOrder {
        private final RecordSink sink;
        private final Map<String, Part> waiting = new HashMap<>();
        private final List<Part> unchecked = new ArrayList<>();
        private List<String> classes;
        private int nextTrain;
        private boolean testHanded;

        InOrder(RecordSink sink) {
            this.sink = sink;
        }

        void classes(List<String> names) throws DatasetException {
            classes = names;
            for (Part part : unchecked) {
                check(part);
            }
            unchecked.clear();
        }

        void arrived(String baseName, Part part) throws DatasetException {
            waiting.put(baseName, part);
            while (nextTrain < TRAIN_FILES.size() && waiting.containsKey(TRAIN_FILES.get(nextTrain))) {
                hand(RecordSink.Split.TRAIN, waiting.remove(TRAIN_FILES.get(nextTrain)));
                nextTrain++;
            }
            if (!testHanded && waiting.containsKey(TEST_FILE)) {
                hand(RecordSink.Split.TEST, waiting.remove(TEST_FILE));
                testHanded = true;
            }
        }

        /** The record files not handed over yet, in canonical order. */
        List<String> expected() {
            List<String> left = new ArrayList<>(TRAIN_FILES.subList(nextTrain, TRAIN_FILES.size()));
            if (!testHanded) {
                left.add(TEST_FILE);
            }
            return left;
        }

        private void hand(RecordSink.Split split, Part part) throws DatasetException {
            if (classes == null) {
                unchecked.add(part);
            } else {
                check(part);
            }
            sink.accept(split, part.records());
        }

        private void check(Part part) throws DatasetException {
            int[] labels = part.records().labels();
            for (int r = 0; r < labels.length; r++) {
                if (labels[r] >= classes.size()) {
                    throw new DatasetException(baseName(part.path()) + " record " + r + " in " + location
                        + " has label " + labels[r] + " but " + META_FILE + " lists only " + classes.size()
                        + " classes");
                }
            }
        }
    }

    private static boolean isCifarFile(String path) {
        String base = baseName(path);
        return TRAIN_FILES.contains(base) || TEST_FILE.equals(base) || META_FILE.equals(base);
    }

    private static String baseName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private DatasetException missing(String baseName) {
        return new DatasetException("CIFAR-10 binary at " + location + " lacks " + baseName
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
        return new Part(path, new Shard(ImageShape.cifar(), labels, pixels));
    }

    /** The blocks of one split, in order, as one shard. */
    private static Shard join(List<Shard> blocks) {
        int records = blocks.stream().mapToInt(Shard::count).sum();
        int[] labels = new int[records];
        byte[] pixels = new byte[Math.multiplyExact(records, RECORD_BYTES - 1)];
        int at = 0;
        for (Shard block : blocks) {
            System.arraycopy(block.labels(), 0, labels, at, block.count());
            System.arraycopy(block.pixels(), 0, pixels, at * (RECORD_BYTES - 1), block.pixels().length);
            at += block.count();
        }
        return new Shard(ImageShape.cifar(), labels, pixels);
    }
}
