package dev.trainstream.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * The summary every A/B benchmark prints for a per-round figure: the median of an odd number of rounds (a median of
 * two rounds is their mean, and flatters), the min-max spread, and a warning when that spread is wider than the
 * difference from parity the median reports (then the rounds do not show a difference at all).
 */
record RoundStatistics(double median, double min, double max, int rounds) {
    /** Rounds quoted in docs by default: enough that one disturbed round cannot move the median. */
    static final int DEFAULT_ROUNDS = 5;

    RoundStatistics {
        if (rounds < 1 || rounds % 2 == 0) {
            throw new IllegalArgumentException("a median needs an odd number of rounds, got " + rounds);
        }
    }

    /** The statistics of one figure per round. */
    static RoundStatistics of(double... values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return new RoundStatistics(sorted[sorted.length / 2], sorted[0], sorted[sorted.length - 1], sorted.length);
    }

    /** Refuses an even round count before any work is done, naming the option. */
    static void requireOdd(int rounds) {
        if (rounds < 1 || rounds % 2 == 0) {
            throw new IllegalArgumentException("--rounds must be an odd number >= 1 (the median of an even number of "
                + "rounds is a mean of two), got " + rounds);
        }
    }

    /** Whether the rounds spread wider than the median's distance from 1.0x, i.e. they do not show a difference. */
    boolean spreadHidesDifference() {
        return max - min > Math.abs(median - 1);
    }

    /** e.g. {@code 0.962x median of 5 rounds (0.941-0.978x)}, plus the warning when the spread hides the difference. */
    String ratioLine() {
        return String.format(Locale.ROOT, "%.3fx median of %d rounds (spread %.3f-%.3fx)%s", median, rounds, min, max,
            spreadHidesDifference() ? "; the spread is wider than the difference from 1.0x: not conclusive" : "");
    }
}
