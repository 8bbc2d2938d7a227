package dev.trainstream.ingest;

import dev.trainstream.events.topics.TopicAdmin;
import dev.trainstream.events.topics.Topics;
import dev.trainstream.infra.LocalInfrastructure;
import dev.trainstream.infra.junit.SharedPerTestRun;
import java.nio.file.Path;
import java.util.List;

/**
 * One broker and one S3 server, with the pipeline's topics, for every ingest test class. Classes keep apart by bucket
 * and by dataset: a dataset id is the digest of its records, and each class ingests records of its own sizes.
 */
final class SharedInfrastructure extends SharedPerTestRun<LocalInfrastructure> {
    SharedInfrastructure() {
        super(LocalInfrastructure.class, "ingest-test-infra");
    }

    @Override
    protected LocalInfrastructure start(Path dir) {
        LocalInfrastructure infra = LocalInfrastructure.start(dir);
        try {
            TopicAdmin.ensureTopics(infra.kafka().bootstrapServers(), List.copyOf(Topics.all()), (short) 1);
            return infra;
        } catch (RuntimeException e) {
            infra.close();
            throw e;
        }
    }
}
