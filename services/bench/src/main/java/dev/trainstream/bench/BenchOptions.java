package dev.trainstream.bench;

import dev.trainstream.engine.model.Activation;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Benchmark settings parsed from the command line, validated, with the defaults the issue asks for.
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
 */
public record BenchOptions(int rounds, int trainBatch, int evalBatch, int trainSteps, int evalSteps, int warmup,
        int threads, Activation activation, int longSteps, int rssEvery, String python, Path peer) {

    /** Usage text. */
    public static final String USAGE = """
            BenchMain: DJL engine vs bare PyTorch eager loop, MobileNetV1 alpha=1 CIFAR layout, synthetic 32x32x3.
              --rounds N        alternating A/B rounds (default 3)
              --train-batch N   training batch (default 128)
              --eval-batch N    evaluation batch (default 256)
              --train-steps N   timed training steps per round and framework (default 10)
              --eval-steps N    timed evaluation batches per round and framework (default 8)
              --warmup N        untimed steps before each timed loop (default 3)
              --threads N       intra-op threads for both (default 2)
              --activation A    relu (default) or relu6
              --long N          then N DJL training steps printing RSS (memory flatness; default 0 = skip)
              --rss-every N     RSS print interval in the long run (default 100)
              --python PATH     interpreter for the peer (default /usr/bin/python3)
              --peer PATH       peer script (default bench/pytorch_peer.py)
            BenchMain accuracy [--data F] [--epochs 15] [--batch 128] [--threads 2] [--out target/accuracy]
                               [--max-steps N] [--seed 42] [--label-smoothing 0.1] [--lr X]
                               [--warmup-epochs X] [--weight-decay X] [--decay-policy conv_and_linear_weights|paper|all]
              CIFAR-10 accuracy run on the JPEG archive (about 6 CPU minutes per epoch on 2 cores).
            """;

    /** Validates the settings, naming the one that is wrong. */
    public BenchOptions {
        positive("rounds", rounds);
        positive("train-batch", trainBatch);
        positive("eval-batch", evalBatch);
        positive("train-steps", trainSteps);
        positive("eval-steps", evalSteps);
        positive("threads", threads);
        positive("rss-every", rssEvery);
        if (warmup < 0 || longSteps < 0) {
            throw new IllegalArgumentException("warmup and long must be >= 0");
        }
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException("--" + name + " must be > 0, got " + value);
        }
    }

    /** Parses {@code args}; throws {@link IllegalArgumentException} naming an unknown or malformed option. */
    public static BenchOptions parse(String... args) {
        int rounds = 3;
        int trainBatch = 128;
        int evalBatch = 256;
        int trainSteps = 10;
        int evalSteps = 8;
        int warmup = 3;
        int threads = 2;
        Activation activation = Activation.RELU;
        int longSteps = 0;
        int rssEvery = 100;
        String python = "/usr/bin/python3";
        Path peer = Path.of("bench", "pytorch_peer.py");
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
            }
            String value = args[++i];
            switch (option) {
                case "--rounds" -> rounds = integer(option, value);
                case "--train-batch" -> trainBatch = integer(option, value);
                case "--eval-batch" -> evalBatch = integer(option, value);
                case "--train-steps" -> trainSteps = integer(option, value);
                case "--eval-steps" -> evalSteps = integer(option, value);
                case "--warmup" -> warmup = integer(option, value);
                case "--threads" -> threads = integer(option, value);
                case "--activation" -> activation = Activation.valueOf(value.toUpperCase(Locale.ROOT));
                case "--long" -> longSteps = integer(option, value);
                case "--rss-every" -> rssEvery = integer(option, value);
                case "--python" -> python = value;
                case "--peer" -> peer = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + option + "\n" + USAGE);
            }
        }
        return new BenchOptions(rounds, trainBatch, evalBatch, trainSteps, evalSteps, warmup, threads, activation,
                longSteps, rssEvery, python, peer);
    }

    private static int integer(String option, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be an integer, got " + value, e);
        }
    }
}
