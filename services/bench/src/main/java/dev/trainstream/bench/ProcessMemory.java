package dev.trainstream.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident set size and CPU time of this process and the machine load, from {@code /proc} (Linux). */
public final class ProcessMemory {

    private ProcessMemory() {}

    /** CPU time of this process, all threads, in nanoseconds. */
    public static long cpuNanos() {
        return ((OperatingSystemMXBean)
                ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** The 1-minute load average, to judge how busy the shared machine was. */
    public static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/loadavg", e);
        }
    }

    /** Minor page faults of this process so far, all threads ({@code /proc/self/stat} field 10). */
    public static long minorFaults() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // fields after the parenthesised command name start with field 3 (state); minflt is field 10
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[7]);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/self/stat", e);
        }
    }

    /** VmRSS in megabytes. */
    public static double rssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
            throw new IllegalStateException("/proc/self/status has no VmRSS line");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/self/status", e);
        }
    }
}
