package dev.trainstream.storage.dataset;

import java.util.Arrays;

/**
 * A block of labelled images held in memory: labels and CHW pixel planes back to back (the CIFAR binary layout).
 * The unit that is stored, content-addressed and cached.
 */
public record Shard(ImageShape shape, int[] labels, byte[] pixels) {
    public Shard {
        if (shape == null || labels == null || pixels == null) {
            throw new IllegalArgumentException("shard needs a shape, labels and pixels");
        }
        if ((long) labels.length * shape.pixelsPerImage() != pixels.length) {
            throw new IllegalArgumentException("shard has " + labels.length + " labels but " + pixels.length
                + " pixel bytes; expected " + (long) labels.length * shape.pixelsPerImage());
        }
    }

    public int count() {
        return labels.length;
    }

    /** Copies image {@code index}'s pixels into {@code target} at {@code offset}. */
    public void copyImage(int index, byte[] target, int offset) {
        if (index < 0 || index >= count()) {
            throw new IndexOutOfBoundsException("record " + index + " outside shard of " + count());
        }
        int size = shape.pixelsPerImage();
        System.arraycopy(pixels, index * size, target, offset, size);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shard s && shape.equals(s.shape) && Arrays.equals(labels, s.labels)
            && Arrays.equals(pixels, s.pixels);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(labels) + Arrays.hashCode(pixels);
    }

    @Override
    public String toString() {
        return "Shard[" + count() + " x " + shape + "]";
    }
}
