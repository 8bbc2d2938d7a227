package dev.trainstream.engine.data;

/**
 * Derives the random seed of global step k from (run seed, k) alone, so a run restored at step k replays exactly the
 * augmentations and dropout masks the uninterrupted run would have drawn.
 */
public final class StepSeeds {

    private StepSeeds() {}

    /** A well-mixed 64-bit seed for {@code step} under {@code seed} (SplitMix64 finaliser over both). */
    public static long forStep(long seed, long step) {
        return mix(seed ^ mix(step + 0x9E3779B97F4A7C15L));
    }

    /** SplitMix64's finaliser: a bijective avalanche mix of 64 bits. */
    public static long mix(long value) {
        long z = value;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
