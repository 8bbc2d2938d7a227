package dev.trainstream.bench;

import dev.trainstream.engine.model.Activation;
import java.nio.file.Path;

/**
 * The engine A/B benchmark's settings, validated (parsed from the command line by {@link BenchCommand}, which holds
 * the defaults the issue asks for).
 *
 * @param rounds alternating A/B rounds
 * @param trainBatch training batch (128)
 * @param evalBatch evaluation batch (256)
 * @param trainSteps timed training steps per round
 * @param evalSteps timed evaluation batches per round
 * @param warmup untimed steps before each timed loop
 * @param threads intra-op threads for both frameworks (2)
 * @param activation RELU (paper) or RELU6
 * @param longSteps 0, or the number of DJL training steps of the memory-flatness run
 * @param rssEvery print RSS every this many steps in the long run
 * @param python the interpreter running the peer
 * @param peer the peer script
 * @param device where both frameworks run (CPU, or GPU 0)
 */
public record BenchOptions(int rounds, int trainBatch, int evalBatch, int trainSteps, int evalSteps, int warmup,
        int threads, Activation activation, int longSteps, int rssEvery, String python, Path peer,
        BenchDevice device) {

    /** Validates the settings, naming the one that is wrong. */
    public BenchOptions {
        RoundStatistics.requireOdd(rounds);
        positive("train-batch", trainBatch);
        positive("eval-batch", evalBatch);
        positive("train-steps", trainSteps);
        positive("eval-steps", evalSteps);
        positive("threads", threads);
        positive("rss-every", rssEvery);
        if (device == null) {
            throw new IllegalArgumentException("--device must be cpu or gpu");
        }
        if (warmup < 0 || longSteps < 0) {
            throw new IllegalArgumentException("--warmup and --long must be >= 0, got " + warmup + " and " + longSteps);
        }
    }

    /** Throws, naming the option, unless {@code value > 0}; the subcommands check their counts with it too. */
    static void positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException("--" + name + " must be > 0, got " + value);
        }
    }
}
