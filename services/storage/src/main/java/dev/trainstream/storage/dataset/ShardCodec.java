package dev.trainstream.storage.dataset;

import java.nio.ByteBuffer;
import java.nio.BufferUnderflowException;

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
        ImageShape s = shard.shape();
        int size = s.pixelsPerImage();
        ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + shard.count() * (2 + size));
        out.putInt(MAGIC).putInt(VERSION).putInt(shard.count())
            .putShort((short) s.channels()).putShort((short) s.height()).putShort((short) s.width());
        for (int i = 0; i < shard.count(); i++) {
            int label = shard.labels()[i];
            if (label < 0 || label > 0xFFFF) {
                throw new IllegalArgumentException("label " + label + " of record " + i + " does not fit a shard (0..65535)");
            }
            out.putShort((short) label);
            out.put(shard.pixels(), i * size, size);
        }
        return out.array();
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
