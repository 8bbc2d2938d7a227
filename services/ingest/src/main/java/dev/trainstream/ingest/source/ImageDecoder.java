package dev.trainstream.ingest.source;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.PixelInterleavedSampleModel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes PNG/JPEG bytes the way {@code ImageIO.read} does (same reader plugins, same pixels) without its per-image
 * costs: one reader per thread and format is reused, the stream is cached in memory rather than in a temporary file,
 * metadata is skipped, and 8-bit RGB images are copied out of the raster instead of pixel by pixel through the colour
 * model. Decoding dominates the ingest of image folders, so this is where its time goes. An image's size is read
 * from its header before its pixels, and one larger than the limit ({@link ReadLimits#maxImagePixels()}) is refused,
 * so a small file claiming a huge image (a decompression bomb) costs nothing.
 */
final class ImageDecoder {
    private static final ThreadLocal<Map<String, ImageReader>> READERS = ThreadLocal.withInitial(HashMap::new);

    private ImageDecoder() {
    }

    /**
     * The decoded image, or null when no reader knows the bytes (like {@code ImageIO.read}).
     *
     * @throws IOException also when the image has more than {@code maxPixels} pixels
     */
    static BufferedImage decode(byte[] bytes, long maxPixels) throws IOException {
        String format = format(bytes);
        if (format == null) {
            // Not a PNG/JPEG signature: let ImageIO find a plugin (none: null, as ImageIO.read answers).
            try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
                Iterator<ImageReader> any = ImageIO.getImageReaders(in);
                if (!any.hasNext()) {
                    return null;
                }
                ImageReader reader = any.next();
                try {
                    reader.setInput(in, true, true);
                    return readWithinLimit(reader, maxPixels);
                } finally {
                    reader.dispose();
                }
            }
        }
        Map<String, ImageReader> readers = READERS.get();
        ImageReader reader = readers.computeIfAbsent(format, f -> ImageIO.getImageReadersByFormatName(f).next());
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(in, true, true);
            return readWithinLimit(reader, maxPixels);
        } catch (IOException | RuntimeException e) {
            // A reader that failed mid-image is not trusted with the next one.
            readers.remove(format).dispose();
            throw e;
        } finally {
            if (readers.get(format) == reader) {
                reader.setInput(null);
            }
        }
    }

    private static BufferedImage readWithinLimit(ImageReader reader, long maxPixels) throws IOException {
        long width = reader.getWidth(0);
        long height = reader.getHeight(0);
        if (width * height > maxPixels) {
            throw new IOException("its header says " + width + "x" + height + " pixels, more than the "
                + maxPixels + " an image may have (--max-image-megapixels)");
        }
        return reader.read(0);
    }

    /**
     * Writes a {@code width x height} image as CHW bytes (R plane, G plane, B plane) at {@code offset}, exactly as
     * {@code getRGB} would give them.
     */
    static void writeChw(BufferedImage image, int width, int height, byte[] out, int offset) {
        int plane = width * height;
        if (image.getType() == BufferedImage.TYPE_3BYTE_BGR
            && image.getRaster().getDataBuffer() instanceof DataBufferByte buffer
            && image.getRaster().getSampleModel() instanceof PixelInterleavedSampleModel model
            && image.getRaster().getSampleModelTranslateX() == 0 && image.getRaster().getSampleModelTranslateY() == 0) {
            // sRGB, 8 bits per band, no alpha: getRGB would return these bytes unchanged.
            byte[] data = buffer.getData();
            int[] bands = model.getBandOffsets();
            int pixelStride = model.getPixelStride();
            int scanline = model.getScanlineStride();
            for (int y = 0; y < height; y++) {
                int row = y * scanline;
                for (int x = 0; x < width; x++) {
                    int src = row + x * pixelStride;
                    int p = offset + y * width + x;
                    out[p] = data[src + bands[0]];
                    out[p + plane] = data[src + bands[1]];
                    out[p + 2 * plane] = data[src + bands[2]];
                }
            }
            return;
        }
        int[] rgb = image.getRGB(0, 0, width, height, null, 0, width);
        for (int i = 0; i < plane; i++) {
            out[offset + i] = (byte) (rgb[i] >> 16);
            out[offset + i + plane] = (byte) (rgb[i] >> 8);
            out[offset + i + 2 * plane] = (byte) rgb[i];
        }
    }

    private static String format(byte[] b) {
        if (b.length >= 8 && (b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
            return "png";
        }
        if (b.length >= 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF) {
            return "jpeg";
        }
        return null;
    }
}
