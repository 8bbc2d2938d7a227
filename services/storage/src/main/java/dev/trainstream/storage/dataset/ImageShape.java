package dev.trainstream.storage.dataset;

/** Channels, height and width of every image in a dataset (CHW, 8 bits per channel). */
public record ImageShape(int channels, int height, int width) {
    public ImageShape {
        if (channels < 1 || channels > 4 || height < 1 || width < 1 || height > 4096 || width > 4096) {
            throw new IllegalArgumentException("image shape must be 1-4 channels and 1-4096 px per side, was "
                + channels + "x" + height + "x" + width);
        }
    }

    /** The CIFAR-10 shape, 3x32x32. */
    public static ImageShape cifar() {
        return new ImageShape(3, 32, 32);
    }

    public int pixelsPerImage() {
        return channels * height * width;
    }
}
