package dev.trainstream.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Pixel arrays given back after a step are handed out again, only at the size asked for, and the pool is bounded. */
class BatchBuffersTest {

    @Test
    void givenAnArrayGivenBack_whenTheSameSizeIsTaken_thenThatArrayIsReused() {
        BatchBuffers buffers = new BatchBuffers(2);
        float[] used = new float[12];
        assertThat(buffers.take(12)).isNull();

        buffers.give(used);

        assertThat(buffers.take(12)).isSameAs(used);
        assertThat(buffers.take(12)).isNull();
    }

    @Test
    void givenAnArrayOfAnotherSize_whenTaken_thenNoneIsHandedOutAndTheMisfitIsDropped() {
        BatchBuffers buffers = new BatchBuffers(2);
        buffers.give(new float[12]);

        assertThat(buffers.take(8)).isNull(); // an epoch's short last batch
        assertThat(buffers.kept()).isZero();
    }

    @Test
    void givenMoreArraysThanCapacity_whenGivenBack_thenOnlyCapacityAreKept() {
        BatchBuffers buffers = new BatchBuffers(2);
        buffers.give(new float[4]);
        buffers.give(new float[4]);
        buffers.give(new float[4]);

        assertThat(buffers.kept()).isEqualTo(2);
    }
}
