package dev.trainstream.ingest;

import dev.trainstream.events.topics.TopicAdmin;
import dev.trainstream.events.topics.Topics;
import dev.trainstream.infra.LocalInfrastructure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One broker and one S3 server, with the pipeline's topics, for every ingest test class (starting them costs more
 * than most tests). Classes keep apart by bucket and by dataset: a dataset id is the digest of its records, and each
 * class ingests records of its own sizes. Stopped and deleted when JUnit finishes.
 */
final class SharedInfrastructure implements ParameterResolver {
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == LocalInfrastructure.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
            .getOrComputeIfAbsent(Running.class, k -> new Running(), Running.class).infra;
    }

    /** Owns the servers and their directory; JUnit closes it with the root context. */
    private static final class Running implements AutoCloseable {
        private final Path dir;
        private final LocalInfrastructure infra;

        Running() {
            try {
                dir = Files.createTempDirectory("ingest-test-infra");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            infra = LocalInfrastructure.start(dir);
            try {
                TopicAdmin.ensureTopics(infra.kafka().bootstrapServers(), List.copyOf(Topics.all()), (short) 1);
            } catch (RuntimeException e) {
                infra.close();
                throw e;
            }
        }

        @Override
        public void close() throws IOException {
            try {
                infra.close();
            } finally {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }
}
