package dev.trainstream.engine.state;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads zip entries of a training state without trusting what they claim: an entry may expand to at most
 * {@link #MAX_RATIO} times the compressed bytes consumed so far (plus {@link #SLACK}), and never past
 * {@link #MAX_ENTRY_BYTES}, checked as the bytes arrive. Real states deflate float tensors by ~1.1x (zeroed optimizer
 * buffers more), so only a zip bomb reaches the ratio; it then fails after a few MB instead of exhausting the heap.
 */
final class InflationLimit {
    /** Far beyond any real tensor file, far below a bomb's thousandfold. */
    static final int MAX_RATIO = 64;
    /** Small entries (state.json, tiny models) compress well; let them. */
    static final long SLACK = 4L << 20;
    /** A byte array's limit, and over twice the state of MobileNetV1 at width multiplier 4 with AdamW. */
    static final long MAX_ENTRY_BYTES = Integer.MAX_VALUE - 64L;

    private final Counting source;

    private InflationLimit(Counting source) {
        this.source = source;
    }

    /** Wraps the compressed input; read the zip from {@link #input()}. */
    static InflationLimit over(InputStream compressed) {
        return new InflationLimit(new Counting(compressed));
    }

    InputStream input() {
        return source;
    }

    /** The rest of the current entry of {@code zip}, or an {@link IncompatibleStateException} naming it. */
    byte[] readEntry(InputStream zip, String entry) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        for (int n = zip.read(buffer); n >= 0; n = zip.read(buffer)) {
            total += n;
            long allowed = Math.min(MAX_ENTRY_BYTES, MAX_RATIO * source.count + SLACK);
            if (total > allowed) {
                throw new IncompatibleStateException("training state entry " + entry + " expands to more than "
                    + allowed + " bytes from " + source.count + " compressed bytes: not a training state (zip bomb?)");
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    /** Counts the compressed bytes the zip reader has taken. */
    private static final class Counting extends FilterInputStream {
        private long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count += skipped;
            return skipped;
        }
    }
}
