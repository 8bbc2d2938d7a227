package dev.trainstream.storage.dataset;

import java.nio.ByteBuffer;
import java.nio.BufferUnderflowException;
import java.util.Arrays;

/**
 * The shard wire format: magic {@code TSHD}, version, record count, C/H/W, then per record a big-endian u16 label and
 * C*H*W pixel bytes. Deterministic, so equal content gives equal bytes and an equal sha256.
 */
public final class ShardCodec {
    private static final int MAGIC = 0x54534844; // "TSHD"
    private static final int VERSION = 1;
    private static final int HEADER_BYTES = 4 + 4 + 4 + 2 + 2 + 2;

    private ShardCodec() {
    }

    public static byte[] encode(Shard shard) {
        Writer out = new Writer(shard.shape(), shard.count());
        out.add(shard, 0, shard.count());
        return out.finish();
    }

    /**
     * Encodes a shard record by record straight into its final byte array (no intermediate {@link Shard}), for a
     * writer that cuts shards out of larger blocks as they arrive. Equal records give bytes equal to {@link #encode}.
     */
    public static final class Writer {
        private final ImageShape shape;
        private final int capacity;
        private final ByteBuffer out;
        private int count;

        /** A shard of at most {@code capacity} records of {@code shape}. */
        public Writer(ImageShape shape, int capacity) {
            if (capacity < 0) {
                throw new IllegalArgumentException("capacity must be >= 0, was " + capacity);
            }
            this.shape = shape;
            this.capacity = capacity;
            this.out = ByteBuffer.allocate(Math.addExact(HEADER_BYTES, Math.multiplyExact(capacity,
                2 + shape.pixelsPerImage())));
            out.putInt(MAGIC).putInt(VERSION).putInt(0)
                .putShort((short) shape.channels()).putShort((short) shape.height()).putShort((short) shape.width());
        }

        public int count() {
            return count;
        }

        public int room() {
            return capacity - count;
        }

        /** Appends records {@code from} (inclusive) to {@code to} (exclusive) of {@code block}. */
        public void add(Shard block, int from, int to) {
            if (!block.shape().equals(shape)) {
                throw new IllegalArgumentException("records of " + block.shape() + " in a shard of " + shape);
            }
            if (to - from > room()) {
                throw new IllegalArgumentException((to - from) + " records do not fit the " + room() + " left");
            }
            int size = shape.pixelsPerImage();
            for (int i = from; i < to; i++) {
                int label = block.labels()[i];
                if (label < 0 || label > 0xFFFF) {
                    throw new IllegalArgumentException("label " + label + " of record " + i
                        + " does not fit a shard (0..65535)");
                }
                out.putShort((short) label);
                out.put(block.pixels(), i * size, size);
            }
            count += to - from;
        }

        /** The shard's bytes; the writer is spent afterwards. */
        public byte[] finish() {
            out.putInt(8, count);
            return count == capacity ? out.array() : Arrays.copyOf(out.array(), out.position());
        }
    }

    /** Decodes; {@code name} identifies the object in the error message if the bytes are not a valid shard. */
    public static Shard decode(byte[] bytes, String name) {
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            if (in.getInt() != MAGIC) {
                throw new IllegalArgumentException("shard " + name + " has no TSHD magic");
            }
            int version = in.getInt();
            if (version != VERSION) {
                throw new IllegalArgumentException("shard " + name + " has unsupported version " + version);
            }
            int count = in.getInt();
            ImageShape shape = new ImageShape(in.getShort(), in.getShort(), in.getShort());
            int size = shape.pixelsPerImage();
            long expected = HEADER_BYTES + (long) count * (2 + size);
            if (count < 0 || expected != bytes.length) {
                throw new IllegalArgumentException("shard " + name + " declares " + count + " records of " + shape
                    + " (" + expected + " bytes) but has " + bytes.length + " bytes");
            }
            int[] labels = new int[count];
            byte[] pixels = new byte[count * size];
            for (int i = 0; i < count; i++) {
                labels[i] = Short.toUnsignedInt(in.getShort());
                in.get(pixels, i * size, size);
            }
            return new Shard(shape, labels, pixels);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("shard " + name + " is truncated", e);
        }
    }
}
