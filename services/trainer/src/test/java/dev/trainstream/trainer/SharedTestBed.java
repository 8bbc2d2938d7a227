package dev.trainstream.trainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands every test class the same {@link TrainerTestBed} (one broker, one S3 server for the whole module's test run:
 * starting them costs more than most tests), closed and deleted when JUnit finishes. Classes keep apart by using
 * their own dataset and run ids.
 */
final class SharedTestBed implements ParameterResolver {
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TrainerTestBed.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
            .getOrComputeIfAbsent(Holder.class, k -> new Holder(), Holder.class).bed;
    }

    /** Owns the bed and its directory; JUnit closes it with the root context. */
    private static final class Holder implements AutoCloseable {
        private final Path dir;
        private final TrainerTestBed bed;

        Holder() {
            try {
                dir = Files.createTempDirectory("trainer-test-bed");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            bed = TrainerTestBed.start(dir);
        }

        @Override
        public void close() throws IOException {
            try {
                bed.close();
            } finally {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }
}
