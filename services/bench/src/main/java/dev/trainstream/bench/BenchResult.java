package dev.trainstream.bench;

import java.util.Locale;

/**
 * One measured loop.
 *
 * @param framework {@code pytorch} or {@code djl}
 * @param mode {@code train} or {@code eval}
 * @param batch images per step
 * @param steps timed steps
 * @param imagesPerSecond throughput over the timed steps
 * @param msPerStep mean wall time per step
 * @param cpuMsPerStep process CPU time per step (all threads): less sensitive to other load on a shared machine
 * @param rssMb resident memory of the process that ran the loop, after it
 * @param minorFaultsPerStep minor page faults of that process per timed step (fresh pages the allocator asked for)
 */
public record BenchResult(String framework, String mode, int batch, int steps, double imagesPerSecond,
        double msPerStep, double cpuMsPerStep, double rssMb, double minorFaultsPerStep) {

    /** One fixed-width line for the console. */
    public String line() {
        return String.format(Locale.ROOT, "%-14s %-5s batch=%-4d steps=%-4d %8.1f img/s %8.1f ms/step %8.1f cpu-ms/step  rss=%7.1f MB  faults/step=%7.0f",
                framework, mode, batch, steps, imagesPerSecond, msPerStep, cpuMsPerStep, rssMb, minorFaultsPerStep);
    }
}
