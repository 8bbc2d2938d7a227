package dev.trainstream.trainer;

import dev.trainstream.engine.state.TensorRecord;
import dev.trainstream.engine.training.DeviceChoice;
import dev.trainstream.engine.training.EngineOptions;
import dev.trainstream.engine.training.TrainingSession;
import dev.trainstream.events.TrainstreamEvent;
import dev.trainstream.events.codec.EventCodec;
import dev.trainstream.events.codec.InvalidEventException;
import dev.trainstream.events.consume.TopicReader;
import dev.trainstream.events.topics.Topic;
import dev.trainstream.events.topics.TopicAdmin;
import dev.trainstream.events.topics.Topics;
import dev.trainstream.infra.LocalInfrastructure;
import dev.trainstream.ingest.IngestConfig;
import dev.trainstream.ingest.IngestJob;
import dev.trainstream.ingest.IngestProgress;
import dev.trainstream.ingest.IngestSummary;
import dev.trainstream.storage.ObjectStore;
import dev.trainstream.storage.RetryPolicy;
import dev.trainstream.storage.S3Settings;
import dev.trainstream.storage.checkpoint.CheckpointArchive;
import dev.trainstream.storage.checkpoint.CheckpointLayout;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What every trainer test stands on: a real Kafka broker and S3 server, small synthetic datasets ingested through the
 * real ingest job, run settings pointing at them, and readers for topics and checkpoint objects.
 */
final class TrainerTestBed implements AutoCloseable {
    static final String BUCKET = "trainer-test";
    /** 192 images in batches of 32: 6 steps per epoch, cheap enough to train several times per test class. */
    static final int TRAIN_IMAGES = 192;
    static final int BATCH_SIZE = 32;
    static final int STEPS_PER_EPOCH = TRAIN_IMAGES / BATCH_SIZE;

    private final LocalInfrastructure infra;
    private final S3Settings s3;
    private final Path dir;

    private TrainerTestBed(LocalInfrastructure infra, S3Settings s3, Path dir) {
        this.infra = infra;
        this.s3 = s3;
        this.dir = dir;
    }

    static TrainerTestBed start(Path dir) {
        LocalInfrastructure infra = LocalInfrastructure.start(dir.resolve("infra"));
        try {
            S3Settings s3 = new S3Settings(infra.s3().endpoint(), infra.s3().accessKey(), infra.s3().secretKey(), BUCKET,
                "us-east-1");
            TopicAdmin.ensureTopics(infra.kafka().bootstrapServers(), List.copyOf(Topics.all()), (short) 1);
            return new TrainerTestBed(infra, s3, dir);
        } catch (RuntimeException e) {
            infra.close();
            throw e;
        }
    }

    LocalInfrastructure infra() {
        return infra;
    }

    S3Settings s3() {
        return s3;
    }

    /** Ingests {@link #TRAIN_IMAGES} synthetic images (content chosen by {@code seed}) for {@code epochs} epochs. */
    IngestSummary ingest(long seed, int epochs) throws Exception {
        return new IngestJob(new IngestConfig(new IngestConfig.DatasetLocation.Synthetic(TRAIN_IMAGES, 32),
            dir.resolve("cache"), epochs, BATCH_SIZE, seed, 64, 2, true, infra.kafka().bootstrapServers(), (short) 1,
            s3), IngestProgress.logging()).run();
    }

    RunSettings settings(String runId, String datasetId) {
        return new RunSettings(runId, datasetId, infra.kafka().bootstrapServers(), s3);
    }

    /** Runs a trainer in this JVM to its end. */
    TrainerSummary train(RunSettings settings) throws InterruptedException {
        return train(settings, new SimpleMeterRegistry());
    }

    TrainerSummary train(RunSettings settings, MeterRegistry registry) throws InterruptedException {
        try (TrainerRun run = new TrainerRun(settings.toConfig(), registry)) {
            return run.run();
        }
    }

    ObjectStore objects() {
        return ObjectStore.connect(s3, RetryPolicy.none());
    }

    /** The metadata of a run's checkpoint at {@code step}. */
    CheckpointArchive checkpoint(String runId, long step) {
        try (ObjectStore store = objects()) {
            String key = CheckpointLayout.checkpointKey(runId, step);
            return CheckpointArchive.decode(store.get(key), store.uri(key).toString());
        }
    }

    /** Every parameter and BN statistic stored in a run's checkpoint at {@code step}, restored through the engine. */
    List<TensorRecord> parameters(String runId, long step) throws Exception {
        CheckpointArchive archive = checkpoint(runId, step);
        try (TrainingSession session = TrainingSession.restore(new ByteArrayInputStream(archive.engineState()),
            new EngineOptions(1, DeviceChoice.parse("cpu")))) {
            return session.parameterSnapshot();
        }
    }

    /** Reads a topic from the beginning to its current end, decoding (so schema-validating) every record. */
    <V extends TrainstreamEvent> List<V> events(Topic<V> topic) {
        try {
            return TopicReader.events(infra.kafka().bootstrapServers(), topic, EventCodec.create("/test"),
                Duration.ofSeconds(30));
        } catch (InvalidEventException e) {
            throw new AssertionError("event on " + topic.name() + " violates its schema: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        infra.close();
    }
}
