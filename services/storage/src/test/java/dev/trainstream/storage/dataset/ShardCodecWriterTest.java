package dev.trainstream.storage.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** A shard written record range by record range is byte for byte the shard encoded in one go. */
class ShardCodecWriterTest {

    private static Shard block(int count, long seed) {
        Random random = new Random(seed);
        ImageShape shape = new ImageShape(3, 4, 5);
        int[] labels = new int[count];
        byte[] pixels = new byte[count * shape.pixelsPerImage()];
        for (int i = 0; i < count; i++) {
            labels[i] = random.nextInt(300);
        }
        random.nextBytes(pixels);
        return new Shard(shape, labels, pixels);
    }

    @Test
    void givenRecordsFromTwoBlocks_whenWrittenInPieces_thenBytesEqualTheEncodingOfTheJoinedRecords() {
        Shard first = block(7, 1);
        Shard second = block(5, 2);
        ShardCodec.Writer writer = new ShardCodec.Writer(first.shape(), 10);
        writer.add(first, 2, 7);
        writer.add(second, 0, 4);
        assertThat(writer.room()).isEqualTo(1);

        byte[] written = writer.finish();

        int size = first.shape().pixelsPerImage();
        int[] labels = new int[9];
        byte[] pixels = new byte[9 * size];
        System.arraycopy(first.labels(), 2, labels, 0, 5);
        System.arraycopy(second.labels(), 0, labels, 5, 4);
        System.arraycopy(first.pixels(), 2 * size, pixels, 0, 5 * size);
        System.arraycopy(second.pixels(), 0, pixels, 5 * size, 4 * size);
        Shard joined = new Shard(first.shape(), labels, pixels);
        assertThat(written).isEqualTo(ShardCodec.encode(joined));
        assertThat(ShardCodec.decode(written, "written")).isEqualTo(joined);
    }

    @Test
    void givenMoreRecordsThanRoom_whenAdded_thenRefused() {
        Shard block = block(4, 3);
        ShardCodec.Writer writer = new ShardCodec.Writer(block.shape(), 3);
        assertThatThrownBy(() -> writer.add(block, 0, 4)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("do not fit");
    }
}
