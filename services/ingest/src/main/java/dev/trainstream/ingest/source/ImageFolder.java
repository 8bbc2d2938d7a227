package dev.trainstream.ingest.source;

import dev.trainstream.storage.dataset.DatasetManifest;
import dev.trainstream.storage.dataset.ImageShape;
import dev.trainstream.storage.dataset.Shard;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.imageio.ImageIO;

/**
 * An ImageFolder tree ({@code train/<class>/*.png|jpg}, {@code test/<class>/...}) as a folder or {@code .tar.gz}: the
 * usual layout of users' own data. Classes are the sorted train folder names. Images of another size are resized
 * (bilinear) to the target size, or rejected when {@code rejectOtherSizes} is set.
 */
public final class ImageFolder implements DatasetSource {
    private final Path location;
    private final ImageShape target;
    private final boolean rejectOtherSizes;
    private final String checksum;

    public ImageFolder(Path location, ImageShape target, boolean rejectOtherSizes, String checksum) {
        if (target.channels() != 3) {
            throw new IllegalArgumentException("image folders are read as RGB: target channels must be 3");
        }
        this.location = location;
        this.target = target;
        this.rejectOtherSizes = rejectOtherSizes;
        this.checksum = checksum;
    }

    @Override
    public String describe() {
        return "image folder at " + location;
    }

    @Override
    public LoadedDataset load() throws DatasetException {
        rejectEmptyClassFolders();
        Map<String, byte[]> files = ArchiveEntries.read(location, ImageFolder::isImage);
        Map<String, Map<String, List<String>>> bySplit = new TreeMap<>();
        for (String path : files.keySet()) {
            String[] parts = path.split("/");
            int split = indexOfSplit(parts);
            if (split < 0) {
                continue;
            }
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
        return new LoadedDataset(classes, decodeSplit(train, classes, files), decodeSplit(test, classes, files),
            new DatasetManifest.Source("image-folder", location.toString(), checksum));
    }

    /** In an extracted tree an empty class folder is visible; say so rather than silently dropping the class. */
    private void rejectEmptyClassFolders() throws DatasetException {
        Path trainDir = location.resolve("train");
        if (!java.nio.file.Files.isDirectory(trainDir)) {
            return;
        }
        try (java.util.stream.Stream<Path> classes = java.nio.file.Files.list(trainDir)) {
            for (Path cls : (Iterable<Path>) classes::iterator) {
                try (java.util.stream.Stream<Path> images = java.nio.file.Files.list(cls)) {
                    if (java.nio.file.Files.isDirectory(cls)
                        && images.noneMatch(p -> isImage(p.getFileName().toString()))) {
                        throw new DatasetException("image folder " + location + ": class folder train/"
                            + cls.getFileName() + " is empty");
                    }
                }
            }
        } catch (IOException e) {
            throw new DatasetException("cannot list " + trainDir + ": " + e.getMessage(), e);
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

    private static boolean isImage(String path) {
        String lower = path.toLowerCase(java.util.Locale.ROOT);
        return lower.endsWith(".png") || lower.endsWith(".jpg") || lower.endsWith(".jpeg");
    }

    private Shard decodeSplit(Map<String, List<String>> split, List<String> classes, Map<String, byte[]> files)
        throws DatasetException {
        List<String> paths = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (Map.Entry<String, List<String>> cls : split.entrySet()) {
            for (String path : cls.getValue()) {
                paths.add(path);
                labels.add(classes.indexOf(cls.getKey()));
            }
        }
        int size = target.pixelsPerImage();
        byte[] pixels = new byte[paths.size() * size];
        // Decoding dominates ingest of JPEG/PNG trees: spread it over every core; each image owns its slice of pixels.
        try {
            java.util.stream.IntStream.range(0, paths.size()).parallel().forEach(i -> {
                try {
                    writeChw(decode(paths.get(i), files.get(paths.get(i))), pixels, i * size);
                } catch (DatasetException e) {
                    throw new UndecodableImage(e);
                }
            });
        } catch (UndecodableImage e) {
            throw e.cause;
        }
        return new Shard(target, labels.stream().mapToInt(Integer::intValue).toArray(), pixels);
    }

    private BufferedImage decode(String path, byte[] bytes) throws DatasetException {
        BufferedImage image;
        try {
            image = ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException | RuntimeException e) {
            throw new DatasetException("image " + path + " in " + location + " is unreadable: " + e.getMessage(), e);
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

    private void writeChw(BufferedImage image, byte[] out, int offset) {
        int plane = target.height() * target.width();
        for (int y = 0; y < target.height(); y++) {
            for (int x = 0; x < target.width(); x++) {
                int rgb = image.getRGB(x, y);
                int p = offset + y * target.width() + x;
                out[p] = (byte) (rgb >> 16);
                out[p + plane] = (byte) (rgb >> 8);
                out[p + 2 * plane] = (byte) rgb;
            }
        }
    }

    /** Carries a checked decode failure out of the parallel stream. */
    private static final class UndecodableImage extends RuntimeException {
        private final DatasetException cause;

        UndecodableImage(DatasetException cause) {
            super(cause.getMessage(), cause, false, false);
            this.cause = cause;
        }
    }
}
