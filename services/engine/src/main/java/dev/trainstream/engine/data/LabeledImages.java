package dev.trainstream.engine.data;

import java.util.Arrays;

/**
 * Raw uint8 images in CIFAR binary layout (per image: C planes of H*W bytes, i.e. CHW) with int labels.
 *
 * @param count number of images
 * @param channels colour planes per image
 * @param height rows per plane
 * @param width columns per plane
 * @param pixels {@code count * channels * height * width} bytes, unsigned, image after image
 * @param labels one class index per image
 */
public record LabeledImages(int count, int channels, int height, int width, byte[] pixels, int[] labels) {

    /** Validates sizes so a malformed batch fails where it enters, not deep inside libtorch. */
    public LabeledImages {
        if (count <= 0) {
            throw new IllegalArgumentException("count must be > 0, got " + count);
        }
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException(
                    "channels, height and width must be > 0, got " + channels + "x" + height + "x" + width);
        }
        if (pixels == null || (long) pixels.length != (long) count * channels * height * width) {
            throw new IllegalArgumentException("pixels must hold count*channels*height*width = "
                    + (long) count * channels * height * width + " bytes, got "
                    + (pixels == null ? "null" : pixels.length));
        }
        if (labels == null || labels.length != count) {
            throw new IllegalArgumentException(
                    "labels must hold count = " + count + " entries, got " + (labels == null ? "null" : labels.length));
        }
        for (int label : labels) {
            if (label < 0) {
                throw new IllegalArgumentException("labels must be >= 0, got " + label);
            }
        }
    }

    /** Bytes per image. */
    public int imageSize() {
        return channels * height * width;
    }

    /** Images {@code [from, to)} as a new batch (copies). */
    public LabeledImages slice(int from, int to) {
        if (from < 0 || to > count || from >= to) {
            throw new IllegalArgumentException("slice [" + from + ", " + to + ") outside [0, " + count + ")");
        }
        return new LabeledImages(to - from, channels, height, width,
                Arrays.copyOfRange(pixels, from * imageSize(), to * imageSize()),
                Arrays.copyOfRange(labels, from, to));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LabeledImages o
                && count == o.count && channels == o.channels && height == o.height && width == o.width
                && Arrays.equals(pixels, o.pixels) && Arrays.equals(labels, o.labels);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(labels) + Arrays.hashCode(pixels);
    }

    @Override
    public String toString() {
        return "LabeledImages[" + count + "x" + channels + "x" + height + "x" + width + "]";
    }
}
