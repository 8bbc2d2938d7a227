package dev.trainstream.evaluator;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainstream.engine.evaluation.CheckpointScorer;
import dev.trainstream.engine.evaluation.EvaluationReport;
import dev.trainstream.engine.training.EngineOptions;
import dev.trainstream.events.CheckpointCreated;
import dev.trainstream.events.EvaluationCompleted;
import dev.trainstream.events.GateDecision;
import dev.trainstream.storage.ObjectStore;
import dev.trainstream.storage.ObjectUri;
import dev.trainstream.storage.checkpoint.CheckpointArchive;
import dev.trainstream.storage.checkpoint.CheckpointLayout;
import dev.trainstream.storage.dataset.DatasetManifest;
import dev.trainstream.storage.dataset.DatasetStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Scores one checkpoint: fetch and verify it, rebuild the model from its recorded state, score the test split named
 * by its dataset manifest, apply the promotion gate. Pure work: publishing and committing are the caller's.
 */
final class CheckpointEvaluation {
    private final ObjectStore objects;
    private final DatasetStore datasets;
    private final EngineOptions engine;
    private final EvaluatorConfig config;
    private final ObjectMapper json;
    private final Clock clock;
    private TestSplit cachedSplit;

    CheckpointEvaluation(ObjectStore objects, EvaluatorConfig config, ObjectMapper json, Clock clock) {
        this.objects = objects;
        this.datasets = new DatasetStore(objects);
        this.engine = new EngineOptions(config.threads(), config.device());
        this.config = config;
        this.json = json;
        this.clock = clock;
    }

    /** Scores {@code event}; throws {@link EvaluationException} with the reason when the checkpoint is unusable. */
    EvaluationCompleted score(CheckpointCreated event) {
        ObjectUri uri = parseUri(event);
        byte[] bytes;
        try {
            bytes = objects.getVerified(uri, event.sha256());
        } catch (dev.trainstream.storage.StorageException e) {
            if (e.retriable()) {
                throw e;
            }
            throw new EvaluationException("checkpoint " + uri + " cannot be read: " + e.getMessage(), e);
        }
        CheckpointArchive archive;
        try {
            archive = CheckpointArchive.decode(bytes, uri.toString());
        } catch (IllegalArgumentException e) {
            throw new EvaluationException(e.getMessage(), e);
        }
        TestSplit split = testSplit(archive.metadata().manifestKey());
        long started = System.nanoTime();
        EvaluationReport report;
        try (CheckpointScorer scorer = CheckpointScorer.load(new ByteArrayInputStream(archive.engineState()), engine)) {
            if (scorer.model().numClasses() != split.manifest().classes().size()) {
                throw new EvaluationException("checkpoint " + uri + " has " + scorer.model().numClasses()
                    + " classes but dataset " + split.manifest().datasetId() + " has " + split.manifest().classes().size());
            }
            report = scorer.evaluate(split.batches(config.batchSize()), split.manifest().classes().size());
        } catch (IOException | RuntimeException e) {
            if (e instanceof EvaluationException ee) {
                throw ee;
            }
            throw new EvaluationException("checkpoint " + uri + " is incompatible or corrupt: " + e.getMessage(), e);
        }
        long durationMs = (System.nanoTime() - started) / 1_000_000;
        GateDecision gate = new PromotionGate(config.gateMinAccuracy(), config.gateMinImprovement())
            .decide(report.accuracy(), currentBest(event.runId()));
        List<List<Long>> confusion = new ArrayList<>();
        for (long[] row : report.confusion()) {
            confusion.add(Arrays.stream(row).boxed().toList());
        }
        return new EvaluationCompleted(event.runId(), event.checkpointUri(), event.sha256(), event.step(), event.epoch(),
            report.accuracy(), report.meanLoss(), split.manifest().classes(),
            Arrays.stream(report.perClassAccuracy()).boxed().toList(), confusion, report.examples(),
            report.imagesPerSecond(), durationMs, gate, clock.instant());
    }

    /** The run's current best accuracy from its best.json, if any. */
    OptionalDouble currentBest(String runId) {
        String key = CheckpointLayout.bestPointerKey(runId);
        if (!objects.exists(key)) {
            return OptionalDouble.empty();
        }
        try {
            return OptionalDouble.of(json.readValue(objects.get(key), BestModelPointer.class).accuracy());
        } catch (IOException e) {
            throw new EvaluationException("best-model pointer " + objects.uri(key) + " is unreadable: " + e.getMessage(), e);
        }
    }

    private TestSplit testSplit(String manifestKey) {
        if (cachedSplit == null || !DatasetLayoutKeys.matches(cachedSplit.manifest(), manifestKey)) {
            DatasetManifest manifest;
            try {
                manifest = datasets.readManifest(manifestKey);
            } catch (dev.trainstream.storage.StorageException e) {
                if (e.retriable()) {
                    throw e;
                }
                throw new EvaluationException("dataset manifest " + manifestKey + " is unavailable: " + e.getMessage(), e);
            }
            cachedSplit = TestSplit.load(datasets, manifest);
        }
        return cachedSplit;
    }

    private static ObjectUri parseUri(CheckpointCreated event) {
        try {
            return ObjectUri.parse(event.checkpointUri());
        } catch (IllegalArgumentException e) {
            throw new EvaluationException(e.getMessage(), e);
        }
    }

    /** Manifest identity check for the one-entry test-split cache. */
    private static final class DatasetLayoutKeys {
        static boolean matches(DatasetManifest manifest, String manifestKey) {
            return dev.trainstream.storage.dataset.DatasetLayout.manifestKey(manifest.datasetId()).equals(manifestKey);
        }
    }
}
