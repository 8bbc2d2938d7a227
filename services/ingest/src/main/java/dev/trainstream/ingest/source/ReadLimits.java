package dev.trainstream.ingest.source;

/**
 * How much of a user's dataset ingest trusts before reading it: the largest file (by its size on disk or in its tar
 * header, checked before a byte is read) and the largest image (by the pixel count its header claims, checked before it
 * is decoded). Both come from {@code --max-file-mib} and {@code --max-image-megapixels}.
 *
 * @param maxFileBytes   largest dataset file
 * @param maxImagePixels largest image, width times height
 */
public record ReadLimits(long maxFileBytes, long maxImagePixels) {
    /** 512 MiB (over three times CIFAR-100's train.bin, the largest file of a supported layout) and 40 megapixels (a
     *  24 MP camera photo fits; ~120 MB decoded per decoding thread). */
    public static final ReadLimits DEFAULT = new ReadLimits(512L << 20, 40_000_000L);
    /** A byte array's limit: no file larger can be held whole. */
    public static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 64L;

    public ReadLimits {
        if (maxFileBytes < 1 || maxFileBytes > MAX_FILE_BYTES) {
            throw new IllegalArgumentException("max file size must be 1.." + MAX_FILE_BYTES + " bytes, was "
                + maxFileBytes);
        }
        if (maxImagePixels < 1) {
            throw new IllegalArgumentException("max image pixels must be >= 1, was " + maxImagePixels);
        }
    }

    /** From the settings' units: MiB and megapixels. */
    public static ReadLimits of(long maxFileMib, long maxImageMegapixels) {
        if (maxFileMib < 1 || maxFileMib > MAX_FILE_BYTES >> 20) {
            throw new IllegalArgumentException("--max-file-mib must be 1.." + (MAX_FILE_BYTES >> 20) + ", was "
                + maxFileMib);
        }
        if (maxImageMegapixels < 1 || maxImageMegapixels > 1_000) {
            throw new IllegalArgumentException("--max-image-megapixels must be 1..1000, was " + maxImageMegapixels);
        }
        return new ReadLimits(maxFileMib << 20, maxImageMegapixels * 1_000_000L);
    }
}
