package dev.trainstream.infra.junit;

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
 * Hands every test class of a module's test run the same expensive resource (a broker and an S3 server cost more to
 * start than most tests take): started in its own temporary directory the first time a class asks for it as a
 * parameter, closed and the directory deleted when JUnit finishes. Classes sharing it keep apart by their own ids
 * (datasets, runs, buckets). A subclass says what the resource is and how it starts.
 *
 * @param <T> the shared resource
 */
public abstract class SharedPerTestRun<T extends AutoCloseable> implements ParameterResolver {
    private final Class<T> type;
    private final String directoryPrefix;

    protected SharedPerTestRun(Class<T> type, String directoryPrefix) {
        this.type = type;
        this.directoryPrefix = directoryPrefix;
    }

    /**
     * Starts the resource in {@code dir}, an empty directory deleted after the resource closes; on failure, closes
     * whatever it had started before throwing.
     */
    protected abstract T start(Path dir);

    @Override
    public final boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == type;
    }

    @Override
    public final Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
            .getOrComputeIfAbsent(getClass(), k -> new Running<>(this), Running.class).resource;
    }

    /** Owns the resource and its directory; JUnit closes it with the root context. */
    private static final class Running<T extends AutoCloseable> implements AutoCloseable {
        private final Path dir;
        private final T resource;

        Running(SharedPerTestRun<T> owner) {
            try {
                dir = Files.createTempDirectory(owner.directoryPrefix);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            resource = owner.start(dir);
        }

        @Override
        public void close() throws Exception {
            try {
                resource.close();
            } finally {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }
}
