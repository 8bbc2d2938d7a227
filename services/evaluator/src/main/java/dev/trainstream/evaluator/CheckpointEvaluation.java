package dev.trainstream.evaluator;

import dev.trainstream.engine.evaluation.CheckpointScorer;
import dev.trainstream.engine.evaluation.EvaluationReport;
import dev.trainstream.engine.training.EngineOptions;
import dev.trainstream.events.CheckpointCreated;
import dev.trainstream.events.EvaluationCompleted;
import dev.trainstream.events.GateDecision;
import dev.trainstream.storage.ObjectStore;
import dev.trainstream.storage.ObjectUri;
import dev.trainstream.storage.StorageException;
import dev.trainstream.storage.checkpoint.BestModelPointer;
import dev.trainstream.storage.checkpoint.BestModelStore;
import dev.trainstream.storage.checkpoint.CheckpointArchive;
import dev.trainstream.storage.dataset.DatasetLayout;
import dev.trainstream.storage.dataset.DatasetManifest;
import dev.trainstream.storage.dataset.DatasetStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Scores one checkpoint: fetch it and verify its sha256, check it belongs to the event, rebuild the model from its
 * recorded configuration, score the test split named by its dataset manifest in inference mode, apply the promotion
 * gate. Pure work: publishing, storing and committing are the caller's.
 */
final class CheckpointEvaluation {
    private final ObjectStore objects;
    private final DatasetStore datasets;
    private final BestModelStore best;
    private final EngineOptions engine;
    private final EvaluatorConfig config;
    private final Clock clock;
    private TestSplit cachedSplit;

    CheckpointEvaluation(ObjectStore objects, BestModelStore best, EvaluatorConfig config, Clock clock) {
        this.objects = objects;
        this.datasets = new DatasetStore(objects);
        this.best = best;
        this.engine = new EngineOptions(config.threads(), config.device());
        this.config = config;
        this.clock = clock;
    }

    /**
     * Scores {@code event}.
     *
     * @throws EvaluationException with the reason when the checkpoint is missing, corrupt or incompatible
     * @throws StorageException    (retriable) when S3 does not answer: the caller stops and re-reads the event later
     */
    EvaluationCompleted score(CheckpointCreated event) {
        ObjectUri uri = parseUri(event);
        CheckpointArchive archive = fetch(uri, event);
        TestSplit split = testSplit(archive.metadata().manifestKey());
        int classes = split.manifest().classes().size();
        long started = System.nanoTime();
        EvaluationReport report;
        try (CheckpointScorer scorer = CheckpointScorer.load(new ByteArrayInputStream(archive.engineState()), engine)) {
            if (scorer.model().numClasses() != classes) {
                throw new EvaluationException("checkpoint " + uri + " is incompatible: its model has "
                    + scorer.model().numClasses() + " classes but dataset " + split.manifest().datasetId() + " has "
                    + classes);
            }
            report = scorer.evaluate(split.batches(config.batchSize()), classes, config.testTimeAugmentation());
        } catch (IOException | RuntimeException e) {
            if (e instanceof EvaluationException ee) {
                throw ee;
            }
            throw new EvaluationException("checkpoint " + uri + " is incompatible or corrupt: " + e.getMessage(), e);
        }
        long durationMs = (System.nanoTime() - started) / 1_000_000;
        List<List<Long>> confusion = new ArrayList<>();
        for (long[] row : report.confusion()) {
            confusion.add(Arrays.stream(row).boxed().toList());
        }
        // The engine reports NaN for a class without test examples; the event contract says 0.
        List<Double> perClass = Arrays.stream(report.perClassAccuracy()).map(a -> Double.isNaN(a) ? 0 : a).boxed()
            .toList();
        return new EvaluationCompleted(event.runId(), event.checkpointUri(), event.sha256(), event.step(), event.epoch(),
            report.accuracy(), report.meanLoss(), split.manifest().classes(), perClass, confusion, report.examples(),
            report.imagesPerSecond(), durationMs, gate(event, report.accuracy()), clock.instant(),
            config.testTimeAugmentationLabel());
    }

    private GateDecision gate(CheckpointCreated event, double accuracy) {
        Optional<BestModelPointer> current;
        try {
            current = best.current(event.runId());
        } catch (BestModelStore.BestPointerUnreadableException e) {
            throw new EvaluationException(e.getMessage(), e);
        }
        PromotionGate gate = config.gate();
        if (current.isPresent() && current.get().checkpointUri().equals(event.checkpointUri())) {
            return gate.alreadyBest(accuracy);
        }
        GateDecision decision = gate.decide(accuracy,
            current.map(p -> OptionalDouble.of(p.accuracy())).orElse(OptionalDouble.empty()));
        String scoredWith = config.testTimeAugmentationLabel();
        if (current.isPresent() && !Objects.equals(current.get().testTimeAugmentation(), scoredWith)) {
            // The operator changed --eval-tta during the run: say so where the verdict is read, do not hide it.
            return new GateDecision(decision.passed(), decision.promoted(), decision.reason() + " (the best was scored "
                + scoringName(current.get().testTimeAugmentation()) + ", this checkpoint " + scoringName(scoredWith)
                + ": not like for like)");
        }
        return decision;
    }

    private static String scoringName(String testTimeAugmentation) {
        return testTimeAugmentation == null ? "without test-time augmentation" : "with " + testTimeAugmentation;
    }

    private CheckpointArchive fetch(ObjectUri uri, CheckpointCreated event) {
        byte[] bytes;
        try {
            bytes = objects.getVerified(uri, event.sha256());
        } catch (StorageException e) {
            if (e.retriable()) {
                throw e;
            }
            throw new EvaluationException("checkpoint " + uri + " cannot be used: " + e.getMessage(), e);
        }
        CheckpointArchive archive;
        try {
            archive = CheckpointArchive.decode(bytes, uri.toString());
        } catch (IllegalArgumentException e) {
            throw new EvaluationException(e.getMessage(), e);
        }
        CheckpointArchive.Metadata meta = archive.metadata();
        if (!meta.runId().equals(event.runId()) || meta.step() != event.step()) {
            throw new EvaluationException("checkpoint " + uri + " is incompatible with its event: it holds run "
                + meta.runId() + " step " + meta.step() + ", the event announced run " + event.runId() + " step "
                + event.step());
        }
        return archive;
    }

    private TestSplit testSplit(String manifestKey) {
        if (cachedSplit == null || !DatasetLayout.manifestKey(cachedSplit.manifest().datasetId()).equals(manifestKey)) {
            try {
                DatasetManifest manifest = datasets.readManifest(manifestKey);
                cachedSplit = TestSplit.load(datasets, manifest);
            } catch (StorageException e) {
                if (e.retriable()) {
                    throw e;
                }
                throw new EvaluationException("test split of dataset manifest " + manifestKey + " is unavailable: "
                    + e.getMessage(), e);
            }
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
}
