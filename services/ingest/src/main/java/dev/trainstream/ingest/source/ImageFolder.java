package dev.trainstream.ingest.source;

import dev.trainstream.events.EvaluationCompleted;
import dev.trainstream.storage.dataset.DatasetManifest;
import dev.trainstream.storage.dataset.ImageShape;
import dev.trainstream.storage.dataset.Shard;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * An ImageFolder tree ({@code train/<class>/*.png|jpg}, {@code test/<class>/...}) as a folder or {@code .tar.gz}: the
 * usual layout of users' own data. Classes are the sorted train folder names; files beside them, hidden files and
 * hidden folders are passed over. Images of another size are resized
 * (bilinear) to the target size, or rejected when {@code rejectOtherSizes} is set.
 * <p>A little over our usual ~250 lines: the layout rules and the limits checked while the tree is read (class
 * count, pixel budget) belong to the walk they interrupt.
 */
public final class ImageFolder implements DatasetSource {
    /** A split is one byte array (a shard is cut from it): Java's array limit. */
    static final long MAX_SPLIT_BYTES = Integer.MAX_VALUE - 64L;

    private final Path location;
    private final ImageShape target;
    private final boolean rejectOtherSizes;
    private final String checksum;
    private final long maxSplitBytes;
    private final ReadLimits limits;

    public ImageFolder(Path location, ImageShape target, boolean rejectOtherSizes, String checksum) {
        this(location, target, rejectOtherSizes, checksum, ReadLimits.DEFAULT);
    }

    public ImageFolder(Path location, ImageShape target, boolean rejectOtherSizes, String checksum,
                       ReadLimits limits) {
        this(location, target, rejectOtherSizes, checksum, limits, MAX_SPLIT_BYTES);
    }

    /** With a lower per-split pixel budget than the array limit (tests reach it with a few images). */
    ImageFolder(Path location, ImageShape target, boolean rejectOtherSizes, String checksum, long maxSplitBytes) {
        this(location, target, rejectOtherSizes, checksum, ReadLimits.DEFAULT, maxSplitBytes);
    }

    private ImageFolder(Path location, ImageShape target, boolean rejectOtherSizes, String checksum,
                        ReadLimits limits, long maxSplitBytes) {
        if (target.channels() != 3) {
            throw new IllegalArgumentException("image folders are read as RGB: target channels must be 3");
        }
        this.location = location;
        this.target = target;
        this.rejectOtherSizes = rejectOtherSizes;
        this.checksum = checksum;
        this.maxSplitBytes = maxSplitBytes;
        this.limits = limits;
    }

    @Override
    public String describe() {
        return "image folder at " + location;
    }

    @Override
    public LoadedDataset load() throws DatasetException {
        rejectEmptyClassFolders();
        // Decoding dominates: it starts on every core while the archive is still being read (one reading thread).
        int threads = Runtime.getRuntime().availableProcessors();
        ExecutorService decoders = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "image-decode");
            t.setDaemon(true);
            return t;
        });
        try {
            Map<String, Future<byte[]>> decoded = new LinkedHashMap<>();
            Map<String, Long> perSplit = new HashMap<>();
            Set<String> classes = new HashSet<>();
            ArchiveEntries.forEach(location, ImageFolder::isImage, limits.maxFileBytes(), (path, bytes) -> {
                String[] parts = path.split("/");
                int split = indexOfSplit(parts);
                if (split >= 0) {
                    requireClassWithinLimits(classes, parts[split + 1], path);
                    // Refused as it is counted, before its pixels (and those of the images after it) are decoded.
                    long images = perSplit.merge(parts[split], 1L, Long::sum);
                    requireWithinBudget(parts[split], images, path);
                    decoded.put(path, decoders.submit(() -> decodeChw(path, bytes)));
                }
            });
            return assemble(decoded);
        } finally {
            decoders.shutdownNow();
        }
    }

    /**
     * Every evaluation event carries the class names and the full confusion matrix, so a dataset may have at most
     * {@link EvaluationCompleted#MAX_CLASSES} classes of {@link EvaluationCompleted#MAX_CLASS_NAME_CHARS} characters;
     * refused as the first class over the limit is seen, before the rest is decoded.
     */
    private void requireClassWithinLimits(Set<String> classes, String cls, String path) throws DatasetException {
        if (cls.length() > EvaluationCompleted.MAX_CLASS_NAME_CHARS) {
            throw new DatasetException("image folder " + location + ": class folder of " + path + " has a name of "
                + cls.length() + " characters; at most " + EvaluationCompleted.MAX_CLASS_NAME_CHARS + " are allowed");
        }
        if (classes.add(cls) && classes.size() > EvaluationCompleted.MAX_CLASSES) {
            throw new DatasetException("image folder " + location + " has more than " + EvaluationCompleted.MAX_CLASSES
                + " classes (" + path + " is in class number " + classes.size() + "): evaluation events carry the "
                + "full confusion matrix and must fit Kafka's 1 MiB record limit; merge classes or split the dataset");
        }
    }

    private void requireWithinBudget(String split, long images, String path) throws DatasetException {
        long bytes = images * target.pixelsPerImage();
        if (bytes > maxSplitBytes) {
            throw new DatasetException("image folder " + location + ": " + path + " is image " + images + " of split "
                + split + ", and " + images + " images of " + target.width() + "x" + target.height() + " are "
                + bytes + " bytes of pixels, more than the " + maxSplitBytes
                + " one split may hold in memory: split the folder into several datasets");
        }
    }

    private LoadedDataset assemble(Map<String, Future<byte[]>> decoded) throws DatasetException {
        Map<String, Map<String, List<String>>> bySplit = new TreeMap<>();
        for (String path : decoded.keySet()) {
            String[] parts = path.split("/");
            int split = indexOfSplit(parts);
            bySplit.computeIfAbsent(parts[split], k -> new TreeMap<>())
                .computeIfAbsent(parts[split + 1], k -> new ArrayList<>()).add(path);
        }
        Map<String, List<String>> train = bySplit.get("train");
        Map<String, List<String>> test = bySplit.get("test");
        if (train == null || test == null) {
            throw new DatasetException("image folder " + location + " needs train/<class>/ and test/<class>/ image folders");
        }
        List<String> classes = new ArrayList<>(new TreeSet<>(train.keySet()));
        for (String cls : test.keySet()) {
            if (!classes.contains(cls)) {
                throw new DatasetException("image folder " + location + ": test class '" + cls
                    + "' does not exist in train (classes: " + classes + ")");
            }
        }
        for (String cls : classes) {
            if (train.get(cls).isEmpty()) {
                throw new DatasetException("image folder " + location + ": class folder train/" + cls + " is empty");
            }
        }
        return new LoadedDataset(classes, collectSplit(train, classes, decoded), collectSplit(test, classes, decoded),
            new DatasetManifest.Source("image-folder", location.toString(), checksum));
    }

    /** In an extracted tree an empty class folder is visible; say so rather than silently dropping the class. */
    private void rejectEmptyClassFolders() throws DatasetException {
        Path trainDir = location.resolve("train");
        if (!Files.isDirectory(trainDir)) {
            return;
        }
        try (Stream<Path> classes = Files.list(trainDir)) {
            for (Path cls : (Iterable<Path>) classes::iterator) {
                // A file beside the class folders (a README) or a hidden folder is not a class, as in torchvision.
                if (!Files.isDirectory(cls) || hidden(cls.getFileName().toString())) {
                    continue;
                }
                try (Stream<Path> images = Files.list(cls)) {
                    if (images.noneMatch(p -> isImage("train/" + cls.getFileName() + "/" + p.getFileName()))) {
                        throw new DatasetException("image folder " + location + ": class folder train/"
                            + cls.getFileName() + " is empty");
                    }
                }
            }
        } catch (IOException e) {
            throw new DatasetException("cannot list " + trainDir + ": " + IoCause.of(e), e);
        }
    }

    private static int indexOfSplit(String[] parts) {
        for (int i = 0; i < parts.length - 2; i++) {
            if ((parts[i].equals("train") || parts[i].equals("test")) && i + 3 == parts.length) {
                return i;
            }
        }
        return -1;
    }

    /**
     * A PNG or JPEG by its name, not hidden and not in a hidden folder: what other tools leave in users' trees
     * ({@code .DS_Store}, macOS {@code ._name.png} resource forks, {@code .ipynb_checkpoints/}) is not data.
     */
    private static boolean isImage(String path) {
        String[] parts = path.split("/");
        String name = parts[parts.length - 1];
        if (hidden(name) || parts.length > 1 && hidden(parts[parts.length - 2])) {
            return false;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".png") || lower.endsWith(".jpg") || lower.endsWith(".jpeg");
    }

    private static boolean hidden(String name) {
        return name.startsWith(".");
    }

    /** The split's images in class then file order; the first undecodable one (in that order) is the error. */
    private Shard collectSplit(Map<String, List<String>> split, List<String> classes,
                               Map<String, Future<byte[]>> decoded) throws DatasetException {
        int size = target.pixelsPerImage();
        int count = split.values().stream().mapToInt(List::size).sum();
        int[] labels = new int[count];
        byte[] pixels = new byte[Math.toIntExact((long) count * size)]; // within budget: checked while reading
        int i = 0;
        for (Map.Entry<String, List<String>> cls : split.entrySet()) {
            int label = classes.indexOf(cls.getKey());
            for (String path : cls.getValue()) {
                System.arraycopy(await(path, decoded.get(path)), 0, pixels, i * size, size);
                labels[i++] = label;
            }
        }
        return new Shard(target, labels, pixels);
    }

    private byte[] await(String path, Future<byte[]> image) throws DatasetException {
        try {
            return image.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatasetException("interrupted while decoding " + path + " in " + location, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UndecodableImage u) {
                throw u.cause;
            }
            throw new DatasetException("image " + path + " in " + location + " could not be decoded: " + e.getCause(),
                e.getCause());
        }
    }

    private byte[] decodeChw(String path, byte[] bytes) {
        try {
            byte[] chw = new byte[target.pixelsPerImage()];
            ImageDecoder.writeChw(decode(path, bytes), target.width(), target.height(), chw, 0);
            return chw;
        } catch (DatasetException e) {
            throw new UndecodableImage(e);
        }
    }

    private BufferedImage decode(String path, byte[] bytes) throws DatasetException {
        BufferedImage image;
        try {
            image = ImageDecoder.decode(bytes, limits.maxImagePixels());
        } catch (IOException | RuntimeException e) {
            throw new DatasetException("image " + path + " in " + location + " is unreadable: " + IoCause.of(e), e);
        }
        if (image == null) {
            throw new DatasetException("image " + path + " in " + location + " is not a readable PNG/JPEG");
        }
        if (image.getWidth() == target.width() && image.getHeight() == target.height()) {
            return image;
        }
        if (rejectOtherSizes) {
            throw new DatasetException("image " + path + " in " + location + " is " + image.getWidth() + "x"
                + image.getHeight() + ", expected " + target.width() + "x" + target.height());
        }
        BufferedImage resized = new BufferedImage(target.width(), target.height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = resized.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(image, 0, 0, target.width(), target.height(), null);
        } finally {
            g.dispose();
        }
        return resized;
    }

    /** Carries a checked decode failure out of a decoding task. */
    private static final class UndecodableImage extends RuntimeException {
        private final DatasetException cause;

        UndecodableImage(DatasetException cause) {
            super(cause.getMessage(), cause, false, false);
            this.cause = cause;
        }
    }
}
