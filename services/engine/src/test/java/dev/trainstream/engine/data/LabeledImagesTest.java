package dev.trainstream.engine.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Raw batches are validated where they enter. */
class LabeledImagesTest {

    @Test
    void givenMismatchedSizes_whenConstructed_thenRejectedNamingTheField() {
        assertThatThrownBy(() -> new LabeledImages(2, 3, 2, 2, new byte[23], new int[2]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pixels");
        assertThatThrownBy(() -> new LabeledImages(2, 3, 2, 2, new byte[24], new int[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("labels");
        assertThatThrownBy(() -> new LabeledImages(1, 3, 2, 2, new byte[12], new int[] {-1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("labels must be >= 0");
        assertThatThrownBy(() -> new LabeledImages(0, 3, 2, 2, new byte[0], new int[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("count");
    }

    @Test
    void givenBatch_whenSliced_thenImagesAndLabelsTravelTogether() {
        byte[] pixels = new byte[3 * 4];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) i;
        }
        LabeledImages batch = new LabeledImages(3, 1, 2, 2, pixels, new int[] {5, 6, 7});

        LabeledImages middle = batch.slice(1, 2);

        assertThat(middle.labels()).containsExactly(6);
        assertThat(middle.pixels()).containsExactly(4, 5, 6, 7);
    }
}
