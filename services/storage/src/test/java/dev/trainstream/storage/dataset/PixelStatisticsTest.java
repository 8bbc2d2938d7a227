package dev.trainstream.storage.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A split's pixel statistics are exact per channel, and a channel without spread still normalises finitely. */
class PixelStatisticsTest {
    @Test
    void givenKnownPixels_whenMeasured_thenMeanAndStdPerChannelAreExact() {
        // Two 1x2 images of two channels: channel 0 holds 0, 255, 0, 255; channel 1 holds 51 everywhere.
        Shard split = new Shard(new ImageShape(2, 1, 2), new int[] {0, 1},
            new byte[] {0, (byte) 255, 51, 51, 0, (byte) 255, 51, 51});

        PixelStatistics stats = PixelStatistics.of(split);

        assertThat(stats.mean().get(0)).isCloseTo(0.5, within(1e-12));
        assertThat(stats.std().get(0)).isCloseTo(0.5, within(1e-12));
        assertThat(stats.mean().get(1)).isCloseTo(0.2, within(1e-12));
        assertThat(stats.std().get(1)).as("no spread: floored").isEqualTo(PixelStatistics.MIN_STD);
    }

    @Test
    void givenStatisticsOfTheWrongShape_whenBuilt_thenRejected() {
        assertThatThrownBy(() -> new PixelStatistics(List.of(0.5), List.of(0.1, 0.2)))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PixelStatistics(List.of(1.5), List.of(0.1)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mean of channel 0");
    }
}
