package dev.trainstream.engine.data;

/**
 * A batch ready for the network: normalised (and for training, augmented) float pixels in NCHW order.
 *
 * @param globalStep the optimizer step this batch was prepared for (its augmentation derives from it)
 * @param count images in the batch
 * @param channels colour planes
 * @param height rows
 * @param width columns
 * @param pixels {@code count * channels * height * width} floats, NCHW
 * @param labels one class index per image
 */
public record PreparedBatch(long globalStep, int count, int channels, int height, int width, float[] pixels,
        int[] labels) {

    /** Validates sizes. */
    public PreparedBatch {
        if (count <= 0 || channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("count, channels, height and width must be > 0");
        }
        if (pixels == null || (long) pixels.length != (long) count * channels * height * width) {
            throw new IllegalArgumentException("pixels must hold count*channels*height*width floats");
        }
        if (labels == null || labels.length != count) {
            throw new IllegalArgumentException("labels must hold count entries");
        }
    }
}
