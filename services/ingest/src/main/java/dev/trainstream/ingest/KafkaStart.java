package dev.trainstream.ingest;

import dev.trainstream.events.clients.KafkaClients;
import dev.trainstream.events.codec.EventCodec;
import dev.trainstream.events.produce.EventPublisher;
import dev.trainstream.events.topics.TopicAdmin;
import dev.trainstream.events.topics.Topics;
import dev.trainstream.ingest.publish.PublishedEpochs;
import dev.trainstream.ingest.publish.PublishedEpochsReader;
import dev.trainstream.ingest.timeline.PhaseRecorder;
import dev.trainstream.ops.KafkaProbe;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;

/**
 * Ingest's Kafka start-up on a thread of its own, beside the reading of the dataset: the reachability probe and the
 * topic check over one admin client (shared with the backpressure gate later), then, once the dataset id is known,
 * the transactional producer's init and the scan of the epochs already published, while the last shards upload.
 */
final class KafkaStart implements AutoCloseable {
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(35);
    private final IngestConfig config;
    private final PhaseRecorder phases;
    private final Duration checkTimeout;
    private final Duration scanTimeout;
    private final Admin admin;
    private final ExecutorService thread;
    private final CompletableFuture<Void> checked;
    private CompletableFuture<Opened> opened;
    private String openedFor;

    /** The transactional publisher of a dataset (initialised) and the epochs of it already committed. */
    record Opened(EventPublisher publisher, PublishedEpochs onTopic) {
    }

    private KafkaStart(IngestConfig config, PhaseRecorder phases, Duration checkTimeout, Duration scanTimeout) {
        this.config = config;
        this.phases = phases;
        this.checkTimeout = checkTimeout;
        this.scanTimeout = scanTimeout;
        this.admin = KafkaClients.admin(config.kafkaBootstrap(), "trainstream-ingest", checkTimeout);
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ingest-kafka");
            t.setDaemon(true);
            return t;
        });
        this.checked = CompletableFuture.runAsync(this::check, thread);
    }

    /** Starts the checks at once; close it (try-with-resources) to close every client it opened. */
    static KafkaStart begin(IngestConfig config, PhaseRecorder phases, Duration checkTimeout, Duration scanTimeout) {
        return new KafkaStart(config, phases, checkTimeout, scanTimeout);
    }

    /** Completes once Kafka answered and every topic exists; fails with {@link IngestFailure} if Kafka is unreachable. */
    CompletableFuture<Void> checked() {
        return checked;
    }

    /** The admin client the checks used, for the backpressure gate; closed with this. */
    Admin admin() {
        return admin;
    }

    /** Opens the dataset's transactional publisher and scans its published epochs, after the checks; once per run. */
    synchronized CompletableFuture<Opened> open(String datasetId) {
        if (opened == null) {
            openedFor = datasetId;
            opened = checked.thenApplyAsync(done -> openPublishing(datasetId), thread);
        } else if (!openedFor.equals(datasetId)) {
            throw new IllegalStateException("publishing already opened for " + openedFor + ", not " + datasetId);
        }
        return opened;
    }

    /** Waits for {@code future}; its failure is thrown as what it is (IngestFailure, IllegalStateException, ...). */
    static <T> T join(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IngestFailure("interrupted while starting Kafka", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            while (cause instanceof CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IngestFailure("starting Kafka failed: " + cause, cause);
        }
    }

    private void check() {
        try (PhaseRecorder.Piece piece = phases.start("kafka checks");
             KafkaProbe probe = KafkaProbe.borrowing(admin, checkTimeout)) {
            try {
                probe.verify();
            } catch (Exception e) {
                throw new IngestFailure("Kafka at " + config.kafkaBootstrap() + " is unreachable (" + e.getMessage()
                    + "); nothing was stored or published", e);
            }
            TopicAdmin.ensureTopics(admin, List.copyOf(Topics.all()), config.topicReplication(),
                TopicAdmin.DEFAULT_TIMEOUT);
        }
    }

    private Opened openPublishing(String datasetId) {
        try {
            Properties producerProps = new Properties();
            // Fail within a bounded time instead of blocking a minute on metadata when the broker vanishes.
            producerProps.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
            // One transactional id per dataset: a second ingest of the same dataset fences the first, so two never
            // publish the same epoch number, and a crashed one's open epoch is aborted when the next one starts.
            EventPublisher publisher;
            try (PhaseRecorder.Piece piece = phases.start("transaction init")) {
                publisher = EventPublisher.createTransactional(config.kafkaBootstrap(),
                    EventCodec.create("/trainstream/ingest"), "trainstream-ingest", "trainstream-ingest-" + datasetId,
                    producerProps);
            }
            try (PhaseRecorder.Piece piece = phases.start("epoch scan")) {
                // After initTransactions (above), an epoch a crashed ingest of this dataset left open is aborted, so
                // the read below sees exactly the committed epochs and the numbering continues after them.
                return new Opened(publisher, PublishedEpochsReader.read(config.kafkaBootstrap(), datasetId, scanTimeout));
            } catch (RuntimeException e) {
                publisher.close();
                throw e;
            }
        } catch (KafkaException e) {
            throw new IngestFailure("starting the Kafka transaction for " + datasetId + " at " + config.kafkaBootstrap()
                + " failed: " + e.getMessage() + "; nothing was published", e);
        }
    }

    @Override
    public void close() {
        // Interrupt what still runs (Kafka's clients give up on interrupt) and drop what has not started; then close
        // a publisher that was opened, whether or not the run got to use it.
        thread.shutdownNow();
        try {
            thread.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        CompletableFuture<Opened> open;
        synchronized (this) {
            open = opened;
        }
        if (open != null && open.isDone() && !open.isCompletedExceptionally()) {
            open.join().publisher().close();
        }
        admin.close(Duration.ofSeconds(5));
    }
}
