package dev.trainstream.trainer;

import dev.trainstream.engine.data.LabeledImages;
import dev.trainstream.engine.data.PreparedBatch;
import dev.trainstream.engine.model.ModelOptions;
import dev.trainstream.engine.runtime.EngineInfo;
import dev.trainstream.engine.training.EngineOptions;
import dev.trainstream.engine.training.StepResult;
import dev.trainstream.engine.training.TrainingConfig;
import dev.trainstream.engine.training.TrainingSession;
import dev.trainstream.events.BatchReference;
import dev.trainstream.events.BatchStreamEvent;
import dev.trainstream.events.EpochCompleted;
import dev.trainstream.events.RunConfig;
import dev.trainstream.events.TrainstreamVersion;
import dev.trainstream.events.codec.EventCodec;
import dev.trainstream.events.consume.DeadLetterPublisher;
import dev.trainstream.events.consume.Received;
import dev.trainstream.events.consume.TypedConsumer;
import dev.trainstream.events.produce.EventPublisher;
import dev.trainstream.events.topics.TopicAdmin;
import dev.trainstream.events.topics.Topics;
import dev.trainstream.ops.lifecycle.Service;
import dev.trainstream.storage.ObjectStore;
import dev.trainstream.storage.RetryPolicy;
import dev.trainstream.storage.IntegrityException;
import dev.trainstream.storage.ObjectNotFoundException;
import dev.trainstream.storage.checkpoint.CheckpointStore;
import dev.trainstream.storage.checkpoint.StoredCheckpoint;
import dev.trainstream.storage.dataset.DatasetManifest;
import dev.trainstream.storage.dataset.DatasetStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One trainer run: consumes batch references in offset order, fetches and prepares batches ahead of the step on worker
 * threads, trains, and emits metrics and checkpoints. Resumes from its newest checkpoint by seeking to the offsets
 * stored in it, so from the model's point of view every batch is trained exactly once per epoch.
 */
public final class TrainerRun implements Service<TrainerSummary> {
    private static final Logger LOG = LoggerFactory.getLogger(TrainerRun.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final TrainerConfig config;
    private final TrainerMeters meters;
    private final Clock clock = Clock.systemUTC();
    private final EventCodec codec = EventCodec.create("/trainstream/trainer");
    private final EngineOptions engineOptions;
    private final AtomicBoolean stopRequested = new AtomicBoolean();
    private final AtomicBoolean ready = new AtomicBoolean();
    private final ArrayDeque<PendingItem> pending = new ArrayDeque<>();
    private final Map<Integer, Long> nextOffsets = new HashMap<>();
    private final MetricWindow window = new MetricWindow();
    private final MetricWindow checkpointWindow = new MetricWindow();

    private ObjectStore objects;
    private EventPublisher publisher;
    private DeadLetterPublisher deadLetters;
    private volatile TypedConsumer<BatchStreamEvent> consumer;
    private ExecutorService workers;
    private TrainingSession session;
    private RunEvents events;
    private Checkpointer checkpointer;
    private DatasetManifest manifest;
    private String manifestKey;
    private BatchAssembler assembler;
    private int epochsDone;
    private long batchesConsumed;
    private long deadLettered;
    private long schemaRejections;
    private long lastCheckpointStep = -1;
    private long lastCheckpointNanos = System.nanoTime();
    private String lastCheckpointUri;
    private List<TopicPartition> partitions = List.of();

    private volatile TrainingProgress progress = TrainingProgress.none();

    /** Where per-step progress goes (a terminal bar in the launcher); none by default. */
    public void setProgress(TrainingProgress progress) {
        this.progress = progress == null ? TrainingProgress.none() : progress;
    }

    public TrainerRun(TrainerConfig config, MeterRegistry registry) {
        this.config = config;
        this.meters = new TrainerMeters(registry, config.runId());
        this.engineOptions = new EngineOptions(config.threads(), config.device());
    }

    @Override
    public String name() {
        return "trainer";
    }

    /**
     * Asks the run to stop after the current step, with a final checkpoint; wakes a blocking poll. Safe from any thread
     * (SIGTERM hook).
     */
    @Override
    public void requestStop() {
        stopRequested.set(true);
        TypedConsumer<BatchStreamEvent> current = consumer;
        if (current != null) {
            current.wakeup();
        }
    }

    /** True once restore is done and the run is consuming. */
    @Override
    public boolean ready() {
        return ready.get();
    }

    /** Runs until the configured epochs are trained or a stop is requested; returns what happened. */
    @Override
    public TrainerSummary run() throws InterruptedException {
        open();
        try {
            loop();
            finish();
        } catch (RuntimeException e) {
            if (events != null) {
                try {
                    events.failed(session == null ? 0 : session.globalStep(), String.valueOf(e.getMessage()));
                } catch (RuntimeException publishFailure) {
                    e.addSuppressed(publishFailure);
                }
            }
            throw e;
        } finally {
            ready.set(false);
        }
        return new TrainerSummary(config.runId(), manifest == null ? null : manifest.datasetId(),
            session == null ? 0 : session.globalStep(), epochsDone, deadLettered, Optional.ofNullable(lastCheckpointUri),
            window.last() == null ? Double.NaN : window.last().loss(), stopRequested.get() && epochsDone < config.epochs());
    }

    private void open() {
        TopicAdmin.ensureTopics(config.kafkaBootstrap(), List.copyOf(Topics.all()), config.topicReplication());
        objects = ObjectStore.connect(config.s3(), RetryPolicy.standard());
        objects.ensureBucket();
        publisher = EventPublisher.create(config.kafkaBootstrap(), codec, "trainstream-trainer-" + config.runId());
        deadLetters = DeadLetterPublisher.create(config.kafkaBootstrap(), codec, "trainer/" + config.runId());
        consumer = TypedConsumer.builder(Topics.BATCHES).bootstrap(config.kafkaBootstrap())
            .groupId(config.consumerGroup()).clientId("trainstream-trainer-" + config.runId()).codec(codec)
            .deadLetters(deadLetters).fromBeginning(true).isolationReadCommitted(true).subscribe(false)
            .extra(pollLimit(config.prefetch())).build();
        workers = Executors.newFixedThreadPool(Math.max(1, Math.min(4, config.prefetch())), r -> {
            Thread t = new Thread(r, "trainer-prefetch");
            t.setDaemon(true);
            return t;
        });
        events = new RunEvents(publisher, codec, config.runId(), clock);
        CheckpointStore checkpoints = new CheckpointStore(objects);
        checkpointer = new Checkpointer(checkpoints, publisher, clock, config.keepCheckpoints());

        partitions = consumer.kafka().partitionsFor(Topics.BATCHES.name()).stream()
            .map(PartitionInfo::partition).sorted().map(p -> new TopicPartition(Topics.BATCHES.name(), p)).toList();
        consumer.kafka().assign(partitions);
        List<String> skipped = new java.util.ArrayList<>();
        Optional<ResumePoint> resume = ResumePoint.find(checkpoints, config.runId(), engineOptions, skipped);
        for (String warning : skipped) {
            events.warning(resume.map(r -> r.metadata().step()).orElse(0L), warning);
        }
        if (resume.isPresent()) {
            ResumePoint point = resume.get();
            session = point.session();
            epochsDone = point.metadata().epoch();
            batchesConsumed = point.metadata().batchesConsumed();
            lastCheckpointStep = point.metadata().step();
            lastCheckpointUri = objects.uri(point.key()).toString();
            manifestKey = point.metadata().manifestKey();
            manifest = new DatasetStore(objects).readManifest(manifestKey);
            assembler = new BatchAssembler(manifest, new ShardCache(new DatasetStore(objects), config.shardCacheBytes()));
            for (TopicPartition tp : partitions) {
                Long offset = point.metadata().nextOffsets().get(tp.partition());
                if (offset == null) {
                    consumer.kafka().seekToBeginning(List.of(tp));
                } else {
                    consumer.kafka().seek(tp, offset);
                    nextOffsets.put(tp.partition(), offset);
                }
            }
            events.started(runConfig(), provenance(), session.globalStep());
        } else {
            consumer.kafka().seekToBeginning(partitions);
        }
        lastCheckpointNanos = System.nanoTime();
        ready.set(true);
        LOG.info("run {}: consuming {} ({})", config.runId(), Topics.BATCHES.name(), EngineInfo.describe(engineOptions));
    }

    /** At most {@code prefetch} records per poll, so the look-ahead never holds more prepared batches than asked. */
    private static java.util.Properties pollLimit(int prefetch) {
        java.util.Properties props = new java.util.Properties();
        props.put(org.apache.kafka.clients.consumer.ConsumerConfig.MAX_POLL_RECORDS_CONFIG, prefetch);
        return props;
    }

    private void loop() throws InterruptedException {
        while (!stopRequested.get() && epochsDone < config.epochs()) {
            fill();
            PendingItem head = pending.peekFirst();
            if (head == null) {
                continue;
            }
            if (head.prepared() != null && !head.prepared().isDone() && pending.size() < config.prefetch()) {
                // Keep the look-ahead full while the head batch is still being fetched.
                fillOnce(Duration.ZERO);
            }
            pending.pollFirst();
            process(head);
            updateLag();
        }
    }

    private void fill() {
        while (pending.size() < config.prefetch() && !stopRequested.get()) {
            int before = pending.size();
            fillOnce(pending.isEmpty() ? POLL : Duration.ZERO);
            if (pending.size() == before) {
                return;
            }
        }
    }

    private void fillOnce(Duration timeout) {
        List<Received<BatchStreamEvent>> polled;
        try {
            polled = consumer.poll(timeout);
        } catch (WakeupException e) {
            if (!stopRequested.get()) {
                throw e;
            }
            return;
        }
        countSchemaRejections();
        for (Received<BatchStreamEvent> received : polled) {
            BatchStreamEvent event = received.event();
            int partition = received.partition();
            long offset = received.offset();
            if (!ownsDataset(event)) {
                pending.addLast(PendingItem.skip(partition, offset));
            } else if (event instanceof EpochCompleted marker) {
                pending.addLast(PendingItem.marker(partition, offset, marker));
            } else {
                BatchReference batch = (BatchReference) event;
                ensureSession(batch);
                long sequence = batchesConsumed++;
                CompletableFuture<PreparedBatch> prepared = CompletableFuture.supplyAsync(
                    () -> prepare(batch, sequence), workers);
                pending.addLast(PendingItem.batch(partition, offset, batch, prepared));
            }
        }
        updateLag();
    }

    /** Lag as this run's model sees it: records past the fetch position plus those fetched but not yet processed. */
    private void updateLag() {
        long lag = pending.size();
        for (TopicPartition tp : partitions) {
            lag += consumer.kafka().currentLag(tp).orElse(0);
        }
        meters.consumerLag(lag);
    }

    /**
     * Fetches and augments one batch on a prefetch thread. {@code sequence} counts batch references of the run
     * (dead-lettered ones included) and seeds the augmentation, so a resumed run augments exactly like an
     * uninterrupted one.
     */
    private PreparedBatch prepare(BatchReference batch, long sequence) {
        LabeledImages raw = assembler.assemble(batch);
        try {
            return session.prepare(raw, sequence);
        } catch (IllegalArgumentException e) {
            throw new PoisonedBatchException("batch epoch " + batch.epoch() + " step " + batch.step()
                + " does not fit the model: " + e.getMessage(), e);
        }
    }

    /** A batch that can never be trained (as opposed to an outage or a bug): dead-lettered and skipped. */
    private static boolean poisoned(Throwable cause) {
        return cause instanceof PoisonedBatchException || cause instanceof ObjectNotFoundException
            || cause instanceof IntegrityException;
    }

    /** Batch records that failed their schema were dead-lettered by the consumer; they count as this run's too. */
    private void countSchemaRejections() {
        long rejected = consumer.rejected();
        while (schemaRejections < rejected) {
            schemaRejections++;
            deadLettered++;
            meters.deadLettered();
        }
    }

    private boolean ownsDataset(BatchStreamEvent event) {
        String wanted = manifest != null ? manifest.datasetId() : config.datasetId();
        return wanted == null || wanted.equals(event.datasetId());
    }

    private void process(PendingItem item) throws InterruptedException {
        if (item.batch() != null) {
            train(item);
        } else if (item.marker() != null) {
            nextOffsets.put(item.partition(), item.offset() + 1);
            endEpoch(item.marker());
        } else {
            nextOffsets.put(item.partition(), item.offset() + 1);
        }
    }

    private void train(PendingItem item) throws InterruptedException {
        long waitStart = System.nanoTime();
        PreparedBatch batch;
        try {
            batch = item.prepared().get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException ce ? ce.getCause() : e.getCause();
            if (poisoned(cause)) {
                nextOffsets.put(item.partition(), item.offset() + 1);
                deadLettered++;
                meters.deadLettered();
                LOG.warn("run {}: batch at {}-{} offset {} dead-lettered: {}", config.runId(), Topics.BATCHES.name(),
                    item.partition(), item.offset(), cause.getMessage());
                events.deadLetter(Topics.BATCHES.name(), item.partition(), item.offset(), item.batch().datasetId(),
                    item.batch(), cause.getMessage());
                return;
            }
            throw new IllegalStateException("preparing batch at offset " + item.offset() + " failed: " + cause, cause);
        }
        long waitNanos = System.nanoTime() - waitStart;
        StepResult result = session.step(batch);
        CrashPoint.AFTER_STEP.reached(result.globalStep());
        nextOffsets.put(item.partition(), item.offset() + 1);
        window.add(result, batch.count(), waitNanos);
        progress.stepped(item.batch().epoch(), item.batch().step() + 1, item.batch().stepsInEpoch(), result,
            batch.count());
        checkpointWindow.add(result, batch.count(), waitNanos);
        meters.step(batch.count(), waitNanos, result);
        if (result.globalStep() % config.metricsEverySteps() == 0) {
            emitMetrics();
        }
        // The last batch of an epoch is followed by its marker, whose checkpoint also records the finished epoch.
        boolean epochEndFollows = item.batch().step() == item.batch().stepsInEpoch() - 1;
        boolean stepsDue = config.checkpointEverySteps() > 0 && result.globalStep() % config.checkpointEverySteps() == 0;
        boolean timeDue = !config.checkpointInterval().isZero()
            && System.nanoTime() - lastCheckpointNanos >= config.checkpointInterval().toNanos();
        if (!epochEndFollows && (stepsDue || timeDue)) {
            checkpoint();
        }
    }

    private void endEpoch(EpochCompleted marker) {
        if (session == null || marker.epoch() < epochsDone) {
            return;
        }
        epochsDone++;
        session.setEpoch(epochsDone);
        LOG.info("run {}: epoch {} complete at step {}", config.runId(), epochsDone, session.globalStep());
        emitMetrics();
        checkpoint();
    }

    private void emitMetrics() {
        if (!window.isEmpty()) {
            LOG.info(String.format(java.util.Locale.ROOT,
                "run %s: epoch %d step %d loss %.4f acc %.3f lr %.4g %.0f img/s data-wait %.1f ms/step",
                config.runId(), epochsDone + 1, session.globalStep(), window.meanLoss(), window.meanAccuracy(),
                window.last().learningRate(), window.imagesPerSecond(), window.dataWaitMillisPerStep()));
            events.metrics(session.globalStep(), epochsDone, window, window.last().learningRate());
            window.reset();
        }
    }

    private void checkpoint() {
        if (session == null || session.globalStep() == lastCheckpointStep) {
            return;
        }
        long started = System.nanoTime();
        double loss = checkpointWindow.isEmpty() ? Double.NaN : checkpointWindow.meanLoss();
        double accuracy = checkpointWindow.isEmpty() ? Double.NaN : checkpointWindow.meanAccuracy();
        StoredCheckpoint stored = checkpointer.write(session, new Checkpointer.Position(config.runId(), epochsDone,
            batchesConsumed - pending.stream().filter(p -> p.batch() != null).count(), manifest.datasetId(), manifestKey,
            manifest.classes(), Map.copyOf(nextOffsets), provenance(), loss, accuracy), consumer.kafka());
        checkpointWindow.reset();
        lastCheckpointStep = session.globalStep();
        lastCheckpointNanos = System.nanoTime();
        lastCheckpointUri = stored.uri().toString();
        meters.checkpoint(System.nanoTime() - started);
    }

    private void finish() {
        emitMetrics();
        checkpoint();
        if (session != null && epochsDone >= config.epochs()) {
            events.finished(session.globalStep(), provenance());
        } else if (session != null && stopRequested.get()) {
            events.stopped(session.globalStep(), "stop requested after " + epochsDone + " of " + config.epochs()
                + " epochs; final checkpoint " + lastCheckpointUri + "; restart the trainer with run id " + config.runId()
                + " to resume");
        }
        LOG.info("run {}: {} after {} steps, {} epochs, {} dead-lettered batches", config.runId(),
            stopRequested.get() ? "stopped" : "finished", session == null ? 0 : session.globalStep(), epochsDone,
            deadLettered);
    }

    private void ensureSession(BatchReference batch) {
        if (session != null) {
            return;
        }
        manifestKey = batch.manifestKey();
        DatasetStore datasets = new DatasetStore(objects);
        manifest = datasets.readManifest(manifestKey);
        assembler = new BatchAssembler(manifest, new ShardCache(datasets, config.shardCacheBytes()));
        ModelOptions model = ModelOptions.builder().optWidthMultiplier(config.widthMultiplier())
            .optResolution(manifest.imageShape().height()).optStemStride(1).optActivation(config.activation())
            .optNumClasses(manifest.classes().size()).optDropout(config.dropout()).build();
        TrainingConfig.Builder training = TrainingConfig.builder().optOptimizer(config.optimizer())
            .setTotalSteps((long) config.epochs() * batch.stepsInEpoch()).optBatchSize(batch.batchSize())
            .optSeed(config.seed()).optLabelSmoothing(config.labelSmoothing());
        if (!Double.isNaN(config.learningRate())) {
            training.optLearningRate(config.learningRate());
        }
        if (!Double.isNaN(config.weightDecay())) {
            training.optWeightDecay(config.weightDecay());
        }
        session = TrainingSession.create(model, training.build(), engineOptions);
        events.started(runConfig(), provenance(), 0);
        LOG.info("run {}: training MobileNetV1 {} on dataset {} ({} classes)", config.runId(), model,
            manifest.datasetId(), manifest.classes().size());
    }

    private RunConfig runConfig() {
        TrainingConfig t = session.config();
        return new RunConfig(manifest.datasetId(), RunEvents.modelSpec(session.model()), t.optimizer().name(),
            t.learningRate(), t.momentum(), t.weightDecay(), t.batchSize(), config.epochs(), t.seed());
    }

    private Map<String, String> provenance() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("trainstream.version", TrainstreamVersion.current());
        p.put("engine", EngineInfo.describe(engineOptions));
        p.put("java.version", System.getProperty("java.version"));
        p.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        if (manifest != null) {
            p.put("dataset.id", manifest.datasetId());
            p.put("dataset.digest", manifest.contentDigest());
            p.put("dataset.source", manifest.source().kind() + " " + manifest.source().location());
        }
        p.put("seed", Long.toString(config.seed()));
        return p;
    }

    /** Closes in reverse order of opening, after the prefetch threads have let go of the session. */
    @Override
    public void close() {
        if (workers != null) {
            workers.shutdownNow();
            try {
                if (!workers.awaitTermination(30, TimeUnit.SECONDS)) {
                    LOG.warn("run {}: prefetch threads still busy after 30 s; closing the session anyway",
                        config.runId());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeQuietly(session);
        closeQuietly(consumer);
        closeQuietly(deadLetters);
        closeQuietly(publisher);
        closeQuietly(objects);
    }

    private static void closeQuietly(AutoCloseable resource) {
        if (resource == null) {
            return;
        }
        try {
            resource.close();
        } catch (Exception e) {
            LOG.warn("closing {} failed: {}", resource.getClass().getSimpleName(), e.toString());
        }
    }
}
