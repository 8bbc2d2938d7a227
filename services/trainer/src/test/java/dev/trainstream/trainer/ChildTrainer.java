package dev.trainstream.trainer;

import dev.trainstream.infra.junit.ChildJvm;
import java.nio.file.Path;
import java.util.List;

/** A trainer in its own JVM ({@link TrainerProcessMain}), so tests can SIGKILL or SIGTERM a real process. */
final class ChildTrainer {
    private ChildTrainer() {
    }

    /** Starts a trainer with {@code settings}; {@code crashAt} (a {@link CrashPoint} spec) may be null. */
    static ChildJvm start(RunSettings settings, String crashAt, Path log) {
        List<String> properties = crashAt == null ? List.of() : List.of(CrashPoint.PROPERTY + "=" + crashAt);
        return ChildJvm.start(log, properties, TrainerProcessMain.class, settings.toArgs());
    }
}
