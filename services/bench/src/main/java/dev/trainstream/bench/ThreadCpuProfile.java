package dev.trainstream.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where a process's CPU went between two moments, by Java thread (names with their pool numbers folded, so the four
 * prefetch workers are one line), and how much ran on threads Java does not know (libtorch's OpenMP workers, the
 * JVM's GC and compiler): the profile that says what a service does beside its training step.
 */
final class ThreadCpuProfile {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private final Map<Long, String> names = new HashMap<>();
    private final long gcMillisStart = gcMillis();
    private final long jitMillisStart = jitMillis();
    private final long processCpuStart = ProcessMemory.cpuNanos();
    private final long wallStart = System.nanoTime();
    private final Map<Long, Long> cpuStart = snapshot();

    private Map<Long, Long> snapshot() {
        Map<Long, Long> cpu = new HashMap<>();
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info != null) {
                long t = THREADS.getThreadCpuTime(info.getThreadId());
                if (t >= 0) {
                    cpu.put(info.getThreadId(), t);
                    names.put(info.getThreadId(), info.getThreadName());
                }
            }
        }
        return cpu;
    }

    /** CPU seconds per thread group since construction, largest first, and the rest of the process. */
    String render() {
        long wall = System.nanoTime() - wallStart;
        Map<Long, Long> now = snapshot();
        long processCpu = ProcessMemory.cpuNanos() - processCpuStart;
        Map<String, Long> byGroup = new HashMap<>();
        long javaThreads = 0;
        for (Map.Entry<Long, Long> e : now.entrySet()) {
            long used = e.getValue() - cpuStart.getOrDefault(e.getKey(), 0L);
            if (used > 0) {
                byGroup.merge(group(names.get(e.getKey())), used, Long::sum);
                javaThreads += used;
            }
        }
        List<Map.Entry<String, Long>> sorted = new ArrayList<>(byGroup.entrySet());
        sorted.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
            "  CPU over %.2f s of wall: process %.2f s%n", wall / 1e9, processCpu / 1e9));
        for (Map.Entry<String, Long> e : sorted) {
            if (e.getValue() >= 5_000_000L) {
                text.append(String.format(Locale.ROOT, "    %7.3f s  %s%n", e.getValue() / 1e9, e.getKey()));
            }
        }
        text.append(String.format(Locale.ROOT, "    %7.3f s  threads Java does not list now (OpenMP workers, GC and JIT"
            + " threads, threads that ended)%n", (processCpu - javaThreads) / 1e9));
        text.append(String.format(Locale.ROOT, "              of which GC pauses took %.3f s of wall and the JIT compilers"
            + " %.3f s%n", (gcMillis() - gcMillisStart) / 1e3, (jitMillis() - jitMillisStart) / 1e3));
        return text.toString();
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
            .mapToLong(gc -> Math.max(0, gc.getCollectionTime())).sum();
    }

    private static long jitMillis() {
        var jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }

    /** "trainer-prefetch-3" and "kafka-producer-network-thread | x" become one group per kind. */
    static String group(String name) {
        if (name == null) {
            return "?";
        }
        String base = name.replaceAll("\\s*\\|.*$", "").replaceAll("[-#]?\\d+$", "").replaceAll("-\\d+-", "-");
        return base.isBlank() ? name : base;
    }
}
