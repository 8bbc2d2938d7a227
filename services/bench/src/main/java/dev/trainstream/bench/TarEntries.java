package dev.trainstream.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;

/** Minimal reader of (ustar/GNU) tar streams: regular files only, enough for the CIFAR-10 JPEG archive. */
final class TarEntries {

    private static final int BLOCK = 512;

    private TarEntries() {}

    /** Calls {@code visitor(path, content)} for every regular file in {@code tar}. */
    static void forEachFile(InputStream tar, BiConsumer<String, byte[]> visitor) throws IOException {
        byte[] header = new byte[BLOCK];
        String longName = null;
        while (true) {
            if (!readBlock(tar, header)) {
                return;
            }
            if (isZero(header)) {
                return;
            }
            String name = longName != null ? longName : field(header, 0, 100);
            longName = null;
            String prefix = field(header, 345, 155);
            if (!prefix.isEmpty() && header[156] != 'L') {
                name = prefix + "/" + name;
            }
            long size = Long.parseLong(field(header, 124, 12).trim().isEmpty() ? "0" : field(header, 124, 12).trim(), 8);
            byte type = header[156];
            byte[] content = tar.readNBytes((int) size);
            if (content.length != size) {
                throw new EOFException("tar entry " + name + " is truncated");
            }
            long padding = (BLOCK - size % BLOCK) % BLOCK;
            tar.skipNBytes(padding);
            if (type == 'L') {
                longName = new String(content, StandardCharsets.UTF_8).replace("\0", "");
            } else if (type == '0' || type == 0) {
                visitor.accept(name, content);
            }
        }
    }

    private static boolean readBlock(InputStream in, byte[] block) throws IOException {
        int read = in.readNBytes(block, 0, BLOCK);
        if (read == 0) {
            return false;
        }
        if (read != BLOCK) {
            throw new EOFException("tar stream ends inside a header");
        }
        return true;
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static String field(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.US_ASCII);
    }
}
