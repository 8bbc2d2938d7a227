package dev.trainstream.launcher;

import static org.awaitility.Awaitility.await;

import dev.trainstream.infra.junit.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** {@code trainstream <args>} in a JVM of its own, and what {@code trainstream infra} prints for the services. */
final class InfraProcesses {
    private static final String FLAGS_FOLLOW = "or pass these flags:";

    private InfraProcesses() {
    }

    /** {@code trainstream <args>} as a user starts it, its output in {@code log}. */
    static ChildJvm start(Path log, List<String> args) {
        return ChildJvm.start(log, List.of(), TrainstreamCommand.class, args);
    }

    /** Waits until {@code infra} has printed its instructions; the connection flags it says to pass to each service. */
    static List<String> awaitFlags(ChildJvm infra, Duration limit) {
        await().atMost(limit).pollInterval(Duration.ofMillis(200))
            .until(() -> infra.output().contains("Stop with Ctrl-C.") || !infra.alive());
        List<String> lines = infra.output().lines().toList();
        int at = lines.indexOf(FLAGS_FOLLOW);
        if (at < 0 || at + 1 >= lines.size()) {
            throw new AssertionError("infra printed no flags; log:\n" + infra.output());
        }
        return Arrays.asList(lines.get(at + 1).trim().split(" "));
    }
}
