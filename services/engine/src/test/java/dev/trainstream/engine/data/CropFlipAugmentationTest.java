package dev.trainstream.engine.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Crop with zero padding, flip, normalisation; randomness derived from (seed, step) only. */
class CropFlipAugmentationTest {

    private static final int SIZE = 32;
    private final Normalization normalization = Normalization.cifar10();
    private final CropFlipAugmentation augmentation = new CropFlipAugmentation(normalization, 4);

    /** Image i: red plane holds the column index x*8 (0..248), other planes 100. */
    private static LabeledImages gradientImages(int count) {
        byte[] pixels = new byte[count * 3 * SIZE * SIZE];
        for (int i = 0; i < count; i++) {
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < SIZE; y++) {
                    for (int x = 0; x < SIZE; x++) {
                        pixels[((i * 3 + c) * SIZE + y) * SIZE + x] = (byte) (c == 0 ? x * 8 : 100);
                    }
                }
            }
        }
        return new LabeledImages(count, 3, SIZE, SIZE, pixels, new int[count]);
    }

    @Test
    void givenARecycledArrayFullOfAnotherBatch_whenPreparedInto_thenEveryValueIsRewrittenAndOnlyAnExactFitIsReused() {
        LabeledImages raw = gradientImages(8);
        PreparedBatch fresh = augmentation.apply(raw, 42, 7);
        float[] dirty = new float[raw.pixels().length];
        java.util.Arrays.fill(dirty, Float.NaN);

        PreparedBatch cropped = augmentation.apply(raw, 42, 7, dirty);
        float[] dirtyAgain = new float[raw.pixels().length];
        java.util.Arrays.fill(dirtyAgain, 1e9f);
        PreparedBatch normalized = normalization.normalize(raw, 7, dirtyAgain);

        assertThat(cropped.pixels()).isSameAs(dirty).isEqualTo(fresh.pixels());
        assertThat(normalized.pixels()).isSameAs(dirtyAgain).isEqualTo(normalization.normalize(raw, 7).pixels());
        float[] wrongSize = new float[raw.pixels().length - 1];
        assertThat(augmentation.apply(raw, 42, 7, wrongSize).pixels()).isNotSameAs(wrongSize)
            .isEqualTo(fresh.pixels());
    }

    @Test
    void givenSameSeedAndStep_whenAugmented_thenIdentical_andOtherStepsDiffer() {
        LabeledImages raw = gradientImages(16);

        PreparedBatch a = augmentation.apply(raw, 42, 1000);
        PreparedBatch b = augmentation.apply(raw, 42, 1000);
        PreparedBatch otherStep = augmentation.apply(raw, 42, 1001);
        PreparedBatch otherSeed = augmentation.apply(raw, 43, 1000);

        assertThat(a.pixels()).isEqualTo(b.pixels());
        assertThat(otherStep.pixels()).isNotEqualTo(a.pixels());
        assertThat(otherSeed.pixels()).isNotEqualTo(a.pixels());
        assertThat(a.globalStep()).isEqualTo(1000);
    }

    @Test
    void givenGradientImages_whenAugmented_thenEachRowIsAShiftedOrMirroredGradientWithZeroPadding() {
        LabeledImages raw = gradientImages(64);
        PreparedBatch batch = augmentation.apply(raw, 7, 3);
        float pad = normalization.padValue(0);
        Set<Integer> shifts = new HashSet<>();
        int flipped = 0;
        for (int i = 0; i < 64; i++) {
            // pick a row that is inside the image whatever the vertical shift: row 16 always is
            int row = i * 3 * SIZE * SIZE + 16 * SIZE;
            int firstInside = -1;
            int secondInside = -1;
            for (int x = 0; x < SIZE && secondInside < 0; x++) {
                if (batch.pixels()[row + x] != pad || x > 8) {
                    if (firstInside < 0) {
                        firstInside = x;
                    } else {
                        secondInside = x;
                    }
                }
            }
            float step = batch.pixels()[row + secondInside] - batch.pixels()[row + firstInside];
            boolean isFlipped = step < 0;
            flipped += isFlipped ? 1 : 0;
            // source column of output x: unflipped x + dx, flipped 31 - x + dx, with |dx| <= 4
            int source = Math.round(unnormalize(batch.pixels()[row + 12]) / 8f);
            int dx = isFlipped ? source - (SIZE - 1 - 12) : source - 12;
            assertThat(dx).isBetween(-4, 4);
            shifts.add(dx);
            for (int x = 0; x < SIZE; x++) {
                int sx = (isFlipped ? SIZE - 1 - x : x) + dx;
                float expected = sx < 0 || sx >= SIZE ? pad : normalization.apply(0, (byte) (sx * 8));
                assertThat(batch.pixels()[row + x]).as("image %d column %d", i, x).isEqualTo(expected);
            }
        }
        assertThat(flipped).isBetween(16, 48);
        assertThat(shifts.size()).isGreaterThan(5);
    }

    @Test
    void givenCropOnly_whenAugmented_thenNoImageIsMirroredAndTheCropsAreThoseOfCropAndFlip() {
        LabeledImages raw = gradientImages(64);
        PreparedBatch cropped = new CropFlipAugmentation(normalization, 4, false).apply(raw, 7, 3);
        PreparedBatch both = augmentation.apply(raw, 7, 3);
        int differing = 0;
        for (int i = 0; i < 64; i++) {
            int row = i * 3 * SIZE * SIZE + 16 * SIZE;
            // Columns 8..23 are inside the image for every shift: a mirrored gradient would fall along them.
            for (int x = 9; x < 24; x++) {
                assertThat(cropped.pixels()[row + x]).as("image %d column %d", i, x)
                    .isGreaterThan(cropped.pixels()[row + x - 1]);
            }
            // The same vertical and horizontal draws: an unflipped image of crop+flip is the same crop here.
            boolean same = Arrays.equals(cropped.pixels(), i * 3 * SIZE * SIZE, (i + 1) * 3 * SIZE * SIZE,
                both.pixels(), i * 3 * SIZE * SIZE, (i + 1) * 3 * SIZE * SIZE);
            differing += same ? 0 : 1;
        }
        assertThat(differing).as("the images crop+flip mirrored, and only those").isBetween(16, 48);
    }

    @Test
    void givenEvaluationPath_whenNormalized_thenExactCifarStatisticsAndNoAugmentation() {
        LabeledImages raw = gradientImages(2);

        PreparedBatch batch = normalization.normalize(raw, 0);

        assertThat(batch.pixels()[1]).isCloseTo((8 / 255f - 0.4914f) / 0.2470f, within(1e-6f));
        assertThat(batch.pixels()[SIZE * SIZE]).isCloseTo((100 / 255f - 0.4822f) / 0.2435f, within(1e-6f));
        assertThat(batch.labels()).containsExactly(0, 0);
    }

    private float unnormalize(float value) {
        return (value * 0.2470f + 0.4914f) * 255f;
    }
}
