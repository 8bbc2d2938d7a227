package dev.trainstream.engine.training;

import dev.trainstream.engine.data.LabeledImages;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** A learnable toy data set: class k images are noise plus a bright stripe in a class-specific place and colour. */
public final class SyntheticImages {

    private SyntheticImages() {}

    /** {@code count} images of {@code size}x{@code size} over {@code classes} classes, reproducible from seed. */
    public static LabeledImages batch(int count, int size, int classes, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int plane = size * size;
        byte[] pixels = new byte[count * 3 * plane];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            int label = random.nextInt(classes);
            labels[i] = label;
            for (int c = 0; c < 3; c++) {
                for (int p = 0; p < plane; p++) {
                    int row = p / size;
                    boolean stripe = row * classes / size == label && c == label % 3;
                    int value = stripe ? 200 + random.nextInt(56) : random.nextInt(100);
                    pixels[(i * 3 + c) * plane + p] = (byte) value;
                }
            }
        }
        return new LabeledImages(count, 3, size, size, pixels, labels);
    }

    /** {@code batches} consecutive batches. */
    public static List<LabeledImages> batches(int batches, int count, int size, int classes, long seed) {
        List<LabeledImages> out = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            out.add(batch(count, size, classes, seed * 1000 + b));
        }
        return out;
    }
}
