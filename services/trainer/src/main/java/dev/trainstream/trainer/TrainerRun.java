package dev.trainstream.trainer;

import dev.trainstream.engine.data.LabeledImages;
import dev.trainstream.engine.data.PreparedBatch;
import dev.trainstream.engine.training.EngineOptions;
import dev.trainstream.engine.training.Lookahead;
import dev.trainstream.engine.training.StepResult;
import dev.trainstream.engine.training.TrainingSession;
import dev.trainstream.engine.runtime.EngineInfo;
import dev.trainstream.events.BatchReference;
import dev.trainstream.events.BatchStreamEvent;
import dev.trainstream.events.EpochCompleted;
import dev.trainstream.events.codec.EventCodec;
import dev.trainstream.events.consume.TypedConsumer;
import dev.trainstream.events.topics.Topics;
import dev.trainstream.ops.lifecycle.Service;
import dev.trainstream.ops.lifecycle.StopAwareBackoff;
import dev.trainstream.storage.IntegrityException;
import dev.trainstream.storage.ObjectNotFoundException;
import dev.trainstream.storage.ObjectStore;
import dev.trainstream.storage.StorageException;
import dev.trainstream.storage.checkpoint.CheckpointArchive;
import dev.trainstream.storage.checkpoint.CheckpointStore;
import dev.trainstream.storage.checkpoint.StoredCheckpoint;
import dev.trainstream.storage.dataset.DatasetManifest;
import dev.trainstream.storage.dataset.DatasetStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One trainer run: consumes batch references in offset order, trains, and emits metrics and checkpoints. Resumes from
 * its newest checkpoint by seeking to the offsets stored in it, so from the model's point of view every batch is
 * trained exactly once per epoch.
 *
 * <p>This class coordinates; each job it coordinates is a class of its own: {@link TrainerClients} (Kafka and S3
 * wiring), {@link ResumePoint} (which checkpoint to continue from), {@link BatchLookahead} (records in offset order,
 * batches prepared ahead on workers), {@link SessionFactory} (model and training configuration),
 * {@link CheckpointSchedule} (when to checkpoint), {@link Checkpointer} (write, announce, commit, retention),
 * {@link StepMetrics} (metric events, meters, dead-letter counts) and {@link RunProvenance}. It is longer than our
 * usual ~250 lines because the order of effects per record (step, offset, metrics, checkpoint, epoch end, stop) is
 * the exactly-once protocol, and it reads best in one place.
 */
public final class TrainerRun implements Service<TrainerSummary> {
    private static final Logger LOG = LoggerFactory.getLogger(TrainerRun.class);

    private final TrainerConfig config;
    private final TrainerMeters meters;
    private final Clock clock = Clock.systemUTC();
    private final EventCodec codec = EventCodec.create("/trainstream/trainer");
    private final EngineOptions engineOptions;
    private final AtomicBoolean stopRequested = new AtomicBoolean();
    private final AtomicBoolean ready = new AtomicBoolean();
    private final Map<Integer, Long> nextOffsets = new HashMap<>();

    private volatile TrainerClients clients;
    private ObjectStore objects;
    private TypedConsumer<BatchStreamEvent> consumer;
    private final SessionFactory sessions;
    private BatchLookahead lookahead;
    private TrainingSession session;
    private RunEvents events;
    private Checkpointer checkpointer;
    private DatasetManifest manifest;
    private String manifestKey;
    private BatchAssembler assembler;
    private BatchBuffers buffers;
    private CheckpointSchedule schedule;
    private int epochsDone;
    private StepMetrics metrics;
    private String lastCheckpointUri;
    private List<Integer> partitions = List.of();
    /** The final checkpoint of a run that had finished before this life started; null otherwise. */
    private CheckpointArchive.Metadata finishedBefore;

    private volatile TrainingProgress progress = TrainingProgress.none();

    /** Where per-step progress goes (a terminal bar in the launcher); none by default. */
    public void setProgress(TrainingProgress progress) {
        this.progress = progress == null ? TrainingProgress.none() : progress;
    }

    public TrainerRun(TrainerConfig config, MeterRegistry registry) {
        this.config = config;
        this.meters = new TrainerMeters(registry, config.runId());
        this.engineOptions = new EngineOptions(config.threads(), config.device());
        this.sessions = new SessionFactory(config, engineOptions);
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
        TrainerClients current = clients;
        if (current != null) {
            current.consumer.wakeup();
        }
    }

    /** True once restore is done and the run is consuming. */
    @Override
    public boolean ready() {
        return ready.get();
    }

    /**
     * Runs until the configured epochs are trained or a stop is requested; returns what happened. A run whose final
     * checkpoint already holds those epochs returns at once ({@link TrainerSummary#finishedBefore()}).
     */
    @Override
    public TrainerSummary run() throws InterruptedException {
        try {
            if (open()) {
                loop();
                finish();
            }
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
        if (finishedBefore != null) {
            return new TrainerSummary(config.runId(), finishedBefore.datasetId(), finishedBefore.step(),
                finishedBefore.epoch(), 0, Optional.of(lastCheckpointUri), Double.NaN, false, true);
        }
        return new TrainerSummary(config.runId(), manifest == null ? null : manifest.datasetId(),
            session == null ? 0 : session.globalStep(), epochsDone, metrics == null ? 0 : metrics.deadLettered(),
            Optional.ofNullable(lastCheckpointUri), metrics == null ? Double.NaN : metrics.lastLoss(),
            stopRequested.get() && epochsDone < config.epochs(), false);
    }

    /**
     * Connects, resumes and positions the consumer; false if a stop came while an outage was being waited out, or the
     * run had already finished.
     */
    private boolean open() throws InterruptedException {
        clients = TrainerClients.open(config, codec);
        objects = clients.objects;
        consumer = clients.consumer;
        events = new RunEvents(clients.publisher, clients.deadLetters, config.runId(), clock);
        metrics = new StepMetrics(config.runId(), events, meters, progress);
        CheckpointStore checkpoints = new CheckpointStore(objects);
        checkpointer = new Checkpointer(checkpoints, clients.publisher, clock, new CheckpointRetention(checkpoints,
            clock, config.keepCheckpoints(), config.evaluationHold()));

        partitions = consumer.assignAll();
        List<String> skipped = new ArrayList<>();
        Optional<ResumePoint> resume = ResumePoint.find(checkpoints, config.runId(), engineOptions, skipped,
            StopAwareBackoff.standard(), stopRequested::get);
        if (stopRequested.get()) {
            resume.ifPresent(point -> point.session().close());
            LOG.info("run {}: stopped before resuming", config.runId());
            return false;
        }
        for (String warning : skipped) {
            events.warning(resume.map(r -> r.metadata().step()).orElse(0L), warning);
        }
        if (resume.isPresent() && FinishedRun.endsRun(resume.get().metadata(), config)) {
            concludeFinished(resume.get());
            return false;
        }
        schedule = new CheckpointSchedule(config.checkpointEverySteps(), config.checkpointInterval(), -1);
        long consumedBefore = 0;
        if (resume.isPresent()) {
            consumedBefore = resumeFrom(resume.get());
        } else {
            consumer.seekToBeginning(partitions);
        }
        buffers = new BatchBuffers(config.prefetch() + 2);
        lookahead = new BatchLookahead(consumer, config.prefetch(), this::ownsDataset, this::preparation,
            consumedBefore, stopRequested::get);
        schedule.restartClock();
        ready.set(true);
        LOG.info("run {}: consuming {} ({})", config.runId(), Topics.BATCHES.name(), EngineInfo.describe(engineOptions));
        return true;
    }

    /**
     * The run finished in an earlier life (its final checkpoint holds every epoch asked for): nothing is trained,
     * checkpointed, committed or announced as started. FINISHED is published only when the runs topic lacks it, i.e.
     * the life that wrote the final checkpoint was killed before announcing it, so each run announces it once.
     */
    private void concludeFinished(ResumePoint point) {
        point.session().close();
        finishedBefore = point.metadata();
        epochsDone = finishedBefore.epoch();
        lastCheckpointUri = objects.uri(point.key()).toString();
        if (FinishedRun.announced(config.kafkaBootstrap(), codec, config.runId(), finishedBefore.step())) {
            LOG.info("run {}: already finished at step {} ({} of {} epochs, final checkpoint {}); nothing to train",
                config.runId(), finishedBefore.step(), finishedBefore.epoch(), config.epochs(), lastCheckpointUri);
            return;
        }
        LOG.warn("run {}: final checkpoint {} (step {}) was never announced as FINISHED (its trainer ended in between);"
            + " announcing it now", config.runId(), lastCheckpointUri, finishedBefore.step());
        events.finished(finishedBefore.step(), finishedBefore.provenance());
    }

    /**
     * Continues from a checkpoint: its session, epoch and dataset, and the batch topic from the offsets stored in it
     * (partitions it never read from their beginning). Returns the batch references consumed before it.
     */
    private long resumeFrom(ResumePoint point) {
        session = point.session();
        epochsDone = point.metadata().epoch();
        schedule.written(point.metadata().step());
        lastCheckpointUri = objects.uri(point.key()).toString();
        manifestKey = point.metadata().manifestKey();
        DatasetStore datasets = new DatasetStore(objects);
        manifest = datasets.readManifest(manifestKey);
        assembler = new BatchAssembler(manifest, new ShardCache(datasets, config.shardCacheBytes()),
            session.config().batchSize());
        for (int partition : partitions) {
            Long offset = point.metadata().nextOffsets().get(partition);
            if (offset == null) {
                consumer.seekToBeginning(List.of(partition));
            } else {
                consumer.seek(partition, offset);
                nextOffsets.put(partition, offset);
            }
        }
        events.started(sessions.runConfig(session, manifest), provenance(), session.globalStep());
        return point.metadata().batchesConsumed();
    }

    private void loop() throws InterruptedException {
        while (!stopRequested.get() && epochsDone < config.epochs()) {
            Optional<Lookahead.Ready<PendingItem>> next = lookahead.next();
            metrics.schemaRejected(consumer.rejected());
            if (next.isPresent()) {
                process(next.get());
            }
            updateLag();
        }
    }

    /** Lag as this run's model sees it: records past the fetch position plus those fetched but not yet processed. */
    private void updateLag() {
        meters.consumerLag(lookahead.held() + consumer.knownLag());
    }

    /**
     * Fetches and augments one batch on a prefetch thread. {@code sequence} counts batch references of the run
     * (dead-lettered ones included) and seeds the augmentation, so a resumed run augments exactly like an
     * uninterrupted one.
     */
    private Callable<PreparedBatch> preparation(BatchReference batch, long sequence) {
        try {
            ensureSession(batch);
        } catch (PoisonedBatchException e) {
            // Handed over in offset order, like any other batch that cannot be trained.
            return () -> {
                throw e;
            };
        }
        return () -> {
            LabeledImages raw = assembler.assemble(batch);
            try {
                return session.prepare(raw, sequence, buffers.take(raw.pixels().length));
            } catch (IllegalArgumentException e) {
                throw new PoisonedBatchException("batch epoch " + batch.epoch() + " step " + batch.step()
                    + " does not fit the model: " + e.getMessage(), e);
            }
        };
    }

    /** A batch that can never be trained (as opposed to an outage or a bug): dead-lettered and skipped. */
    private static boolean poisoned(Throwable cause) {
        return cause instanceof PoisonedBatchException || cause instanceof ObjectNotFoundException
            || cause instanceof IntegrityException;
    }

    private boolean ownsDataset(BatchStreamEvent event) {
        String wanted = manifest != null ? manifest.datasetId() : config.datasetId();
        return wanted == null || wanted.equals(event.datasetId());
    }

    private void process(Lookahead.Ready<PendingItem> ready) {
        PendingItem item = ready.item();
        if (item instanceof PendingItem.Batch batch) {
            train(batch, ready);
            return;
        }
        nextOffsets.put(item.partition(), item.offset() + 1);
        if (item instanceof PendingItem.Marker marker) {
            endEpoch(marker.marker());
        }
    }

    private void train(PendingItem.Batch item, Lookahead.Ready<PendingItem> ready) {
        if (ready.failure() != null) {
            Throwable cause = ready.failure();
            if (!poisoned(cause)) {
                throw new IllegalStateException("preparing batch at offset " + item.offset() + " failed: " + cause,
                    cause);
            }
            nextOffsets.put(item.partition(), item.offset() + 1);
            metrics.poisoned(item.partition(), item.offset(), item.reference(), cause);
            return;
        }
        PreparedBatch batch = ready.batch();
        StepResult result = session.step(batch);
        buffers.give(batch.pixels()); // step copied the pixels into the engine
        CrashPoint.AFTER_STEP.reached(result.globalStep());
        nextOffsets.put(item.partition(), item.offset() + 1);
        BatchReference reference = item.reference();
        metrics.stepped(reference, result, batch.count(), ready.waitNanos());
        if (result.globalStep() % config.metricsEverySteps() == 0) {
            metrics.emit(session.globalStep(), epochsDone);
        }
        if (schedule.dueAfter(result.globalStep(), reference.step() == reference.stepsInEpoch() - 1)) {
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
        metrics.emit(session.globalStep(), epochsDone);
        checkpoint();
    }

    private void checkpoint() {
        if (session == null || schedule.writtenAt(session.globalStep())) {
            return;
        }
        long started = System.nanoTime();
        StoredCheckpoint stored = checkpointer.write(session, new Checkpointer.Position(config.runId(), epochsDone,
            lookahead.handedOver(), manifest.datasetId(), manifestKey, manifest.classes(), Map.copyOf(nextOffsets),
            provenance(), metrics.checkpointLoss(), metrics.checkpointAccuracy()), consumer);
        schedule.written(session.globalStep());
        lastCheckpointUri = stored.uri().toString();
        metrics.checkpointed(System.nanoTime() - started);
    }

    private void finish() {
        if (session != null) {
            metrics.emit(session.globalStep(), epochsDone);
            checkpoint();
        }
        if (session != null && epochsDone >= config.epochs()) {
            events.finished(session.globalStep(), provenance());
        } else if (session != null && stopRequested.get()) {
            events.stopped(session.globalStep(), "stop requested after " + epochsDone + " of " + config.epochs()
                + " epochs; final checkpoint " + lastCheckpointUri + "; restart the trainer with run id " + config.runId()
                + " to resume");
        }
        LOG.info("run {}: {} after {} steps, {} epochs, {} dead-lettered batches", config.runId(),
            stopRequested.get() ? "stopped" : "finished", session == null ? 0 : session.globalStep(), epochsDone,
            metrics.deadLettered());
    }

    /**
     * The first batch of the run's dataset sets up the session from its manifest. A manifest that is missing, not a
     * manifest, or of another dataset can never be trained from: that reference is dead-lettered and the next one
     * tries again (an outage, being retriable, fails the run instead, which resumes later).
     */
    private void ensureSession(BatchReference batch) {
        if (session != null) {
            return;
        }
        DatasetStore datasets = new DatasetStore(objects);
        DatasetManifest loaded;
        try {
            loaded = datasets.readManifest(batch.manifestKey());
        } catch (StorageException e) {
            if (e.retriable()) {
                throw e;
            }
            throw new PoisonedBatchException("batch epoch " + batch.epoch() + " step " + batch.step() + " names manifest "
                + batch.manifestKey() + " which cannot be used: " + e.getMessage(), e);
        }
        if (!loaded.datasetId().equals(batch.datasetId())) {
            throw new PoisonedBatchException("batch epoch " + batch.epoch() + " step " + batch.step() + " of dataset "
                + batch.datasetId() + " names manifest " + batch.manifestKey() + " of dataset " + loaded.datasetId());
        }
        manifest = loaded;
        manifestKey = batch.manifestKey();
        session = sessions.create(manifest, batch);
        assembler = new BatchAssembler(manifest, new ShardCache(datasets, config.shardCacheBytes()),
            session.config().batchSize());
        events.started(sessions.runConfig(session, manifest), provenance(), 0);
        LOG.info("run {}: training MobileNetV1 {} on dataset {} ({} classes)", config.runId(), sessions.model(manifest),
            manifest.datasetId(), manifest.classes().size());
    }

    private Map<String, String> provenance() {
        return RunProvenance.of(engineOptions, manifest, config);
    }

    /** Closes in reverse order of opening, after the look-ahead's workers have let go of the session. */
    @Override
    public void close() {
        TrainerClients.closeQuietly(lookahead);
        TrainerClients.closeQuietly(session);
        TrainerClients.closeQuietly(events);
        TrainerClients.closeQuietly(clients);
    }
}
