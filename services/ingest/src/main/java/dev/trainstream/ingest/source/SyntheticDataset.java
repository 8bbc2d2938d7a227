package dev.trainstream.ingest.source;

import dev.trainstream.storage.dataset.DatasetManifest;
import dev.trainstream.storage.dataset.ImageShape;
import dev.trainstream.storage.dataset.Shard;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A learnable stand-in for CIFAR-10 (10 classes, 3x32x32), deterministic by seed, for offline demos and tests.
 *
 * <p>Each class has its own colour and its own shape (square, disc, bars, cross, ring, ...), drawn at a random place and
 * size over a noisy background, so a model must look at the picture to classify it but a small one learns it fast.
 */
public final class SyntheticDataset implements DatasetSource {
    /** Class names, CIFAR-10's, so everything downstream looks the same as with the real data. */
    public static final List<String> CLASSES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog",
        "horse", "ship", "truck");
    private static final int[][] COLOURS = {
        {230, 40, 40}, {40, 200, 40}, {40, 80, 230}, {230, 220, 40}, {200, 40, 220},
        {40, 220, 220}, {250, 140, 20}, {140, 70, 20}, {250, 250, 250}, {90, 90, 90}};

    private final int trainRecords;
    private final int testRecords;
    private final long seed;

    public SyntheticDataset(int trainRecords, int testRecords, long seed) {
        if (trainRecords < 1 || testRecords < 1) {
            throw new IllegalArgumentException("synthetic dataset needs >= 1 train and test record, got "
                + trainRecords + "/" + testRecords);
        }
        this.trainRecords = trainRecords;
        this.testRecords = testRecords;
        this.seed = seed;
    }

    @Override
    public LoadedDataset load() {
        Shard train = generate(trainRecords, new SplittableRandom(seed));
        Shard test = generate(testRecords, new SplittableRandom(seed ^ 0x5DEECE66DL));
        String location = "synthetic:train=" + trainRecords + ",test=" + testRecords + ",seed=" + seed;
        return new LoadedDataset(CLASSES, train, test, new DatasetManifest.Source("synthetic", location, "seed:" + seed));
    }

    @Override
    public String describe() {
        return "synthetic CIFAR-10-shaped dataset (" + trainRecords + " train / " + testRecords + " test, seed " + seed + ")";
    }

    private static Shard generate(int count, SplittableRandom random) {
        ImageShape shape = ImageShape.cifar();
        int plane = shape.height() * shape.width();
        int[] labels = new int[count];
        byte[] pixels = new byte[count * shape.pixelsPerImage()];
        for (int n = 0; n < count; n++) {
            int label = random.nextInt(CLASSES.size());
            labels[n] = label;
            int size = 8 + random.nextInt(9);
            int top = random.nextInt(32 - size + 1);
            int left = random.nextInt(32 - size + 1);
            int base = n * shape.pixelsPerImage();
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    boolean inside = covers(label, y - top, x - left, size);
                    for (int c = 0; c < 3; c++) {
                        int noise = random.nextInt(61) - 30;
                        int value = inside ? COLOURS[label][c] + noise : 110 + noise;
                        pixels[base + c * plane + y * 32 + x] = (byte) Math.max(0, Math.min(255, value));
                    }
                }
            }
        }
        return new Shard(shape, labels, pixels);
    }

    /** Whether pixel (y, x), relative to the figure's corner, belongs to the figure of {@code label}. */
    private static boolean covers(int label, int y, int x, int size) {
        if (y < 0 || x < 0 || y >= size || x >= size) {
            return false;
        }
        int half = size / 2;
        int dy = y - half;
        int dx = x - half;
        return switch (label) {
            case 0 -> true;                                              // filled square
            case 1 -> dy * dy + dx * dx <= half * half;                  // disc
            case 2 -> (y / 2) % 2 == 0;                                  // horizontal bars
            case 3 -> (x / 2) % 2 == 0;                                  // vertical bars
            case 4 -> Math.abs(dy) <= 1 || Math.abs(dx) <= 1;            // cross
            case 5 -> Math.abs(dy * dy + dx * dx - half * half) <= half; // ring
            case 6 -> y >= x;                                            // triangle
            case 7 -> (x + y) % 4 < 2;                                   // diagonal stripes
            case 8 -> y == 0 || x == 0 || y == size - 1 || x == size - 1; // hollow square
            default -> ((x / 2) + (y / 2)) % 2 == 0;                     // checkerboard
        };
    }
}
