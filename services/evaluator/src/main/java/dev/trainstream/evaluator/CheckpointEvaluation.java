package dev.trainstream.evaluator;

import dev.trainstream.engine.evaluation.CheckpointScorer;
import dev.trainstream.engine.evaluation.EvaluationReport;
import dev.trainstream.engine.state.UnsupportedStateVersionException;
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
import dev.trainstream.storage.checkpoint.CorruptCheckpointException;
import dev.trainstream.storage.checkpoint.UnsupportedCheckpointFormatException;
import dev.trainstream.storage.dataset.DatasetLayout;
import dev.trainstream.storage.dataset.DatasetManifest;
import dev.trainstream.storage.dataset.DatasetStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Scores one checkpoint: fetch it and verify its sha256, check it belongs to the event, rebuild the model from its
 * recorded configuration, score the test split named by its dataset manifest in inference mode, apply the promotion
 * gate. Pure work: publishing, storing and committing are the caller's.
 *
 * <p>When the run's best was scored with other test-time augmentation than this evaluator's (an operator changed
 * {@code --eval-tta} mid-run), the best checkpoint is scored again this evaluator's way, so the gate compares like for
 * like; the re-scored number is remembered for the best's content, so it costs one extra evaluation per mode change.
 */
final class CheckpointEvaluation {
    private static final int RESCORED_REMEMBERED = 64;
    private final ObjectStore objects;
    private final DatasetStore datasets;
    private final BestModelStore best;
    private final EngineOptions engine;
    private final EvaluatorConfig config;
    private final Clock clock;
    private TestSplit cachedSplit;
    private final Map<String, Double> rescoredBest = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Double> eldest) {
            return size() > RESCORED_REMEMBERED;
        }
    };

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
     * @throws EvaluationException         with the reason when the checkpoint is missing, corrupt or incompatible
     * @throws ScoringUnavailableException when the engine fails or the checkpoint is newer than this build reads
     * @throws StorageException            (retriable) when S3 does not answer: the caller stops and re-reads it later
     */
    EvaluationCompleted score(CheckpointCreated event) {
        ObjectUri uri = parseUri(event.checkpointUri());
        CheckpointArchive archive = fetch(uri, event.sha256(), event.runId(), event.step(), "its event");
        TestSplit split = testSplit(archive.metadata().manifestKey());
        requireReportable(split);
        long started = System.nanoTime();
        EvaluationReport report = report(uri, archive, split);
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
            report.imagesPerSecond(), durationMs, gate(event, report.accuracy(), split), clock.instant(),
            config.testTimeAugmentationLabel());
    }

    /**
     * A dataset ingest would have refused (made by hand, or by an older ingest) cannot be reported: its evaluation
     * event would exceed Kafka's record limit, so it fails here, as an evaluation-failed event that fits.
     */
    private static void requireReportable(TestSplit split) {
        List<String> classes = split.manifest().classes();
        if (classes.size() > EvaluationCompleted.MAX_CLASSES) {
            throw new EvaluationException("dataset " + split.manifest().datasetId() + " has " + classes.size()
                + " classes, more than the " + EvaluationCompleted.MAX_CLASSES + " an evaluation event can carry");
        }
        for (String name : classes) {
            if (name.length() > EvaluationCompleted.MAX_CLASS_NAME_CHARS) {
                throw new EvaluationException("dataset " + split.manifest().datasetId() + " has a class name of "
                    + name.length() + " characters, more than the " + EvaluationCompleted.MAX_CLASS_NAME_CHARS
                    + " an evaluation event can carry");
            }
        }
    }

    /** Scores {@code archive} (fetched from {@code uri}) on {@code split} with this evaluator's test-time augmentation. */
    private EvaluationReport report(ObjectUri uri, CheckpointArchive archive, TestSplit split) {
        int classes = split.manifest().classes().size();
        try (CheckpointScorer scorer = CheckpointScorer.load(new ByteArrayInputStream(archive.engineState()), engine)) {
            if (scorer.model().numClasses() != classes) {
                throw new EvaluationException("checkpoint " + uri + " is incompatible: its model has "
                    + scorer.model().numClasses() + " classes but dataset " + split.manifest().datasetId() + " has "
                    + classes);
            }
            return scorer.evaluate(split.batches(config.batchSize()), classes, config.testTimeAugmentation());
        } catch (UnsupportedStateVersionException e) {
            throw new ScoringUnavailableException("checkpoint " + uri + ": " + e.getMessage()
                + "; run an evaluator that reads it", e, false);
        } catch (IOException e) {
            // The engine's reader proved the state corrupt or not fitting the network it describes.
            throw new EvaluationException("checkpoint " + uri + " is incompatible or corrupt: " + e.getMessage(), e);
        } catch (EvaluationException | StorageException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ScoringUnavailableException("checkpoint " + uri + " could not be scored by the engine (" + e
                + ")", e, true);
        }
    }

    private GateDecision gate(CheckpointCreated event, double accuracy, TestSplit split) {
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
        String scoredWith = config.testTimeAugmentationLabel();
        if (current.isEmpty() || Objects.equals(current.get().testTimeAugmentation(), scoredWith)) {
            return gate.decide(accuracy, current.map(p -> OptionalDouble.of(p.accuracy())).orElse(OptionalDouble.empty()));
        }
        // The operator changed --eval-tta during the run: compare against the best scored this evaluator's way.
        BestModelPointer pointer = current.get();
        String recorded = String.format(Locale.ROOT, "recorded %.4f %s", pointer.accuracy(),
            scoringName(pointer.testTimeAugmentation()));
        double baseline;
        try {
            baseline = rescore(pointer, split);
        } catch (EvaluationException e) {
            GateDecision decision = gate.decide(accuracy, OptionalDouble.of(pointer.accuracy()));
            return withReason(decision, " (against the best as " + recorded + ", this checkpoint "
                + scoringName(scoredWith) + ": not like for like, the best could not be re-scored: " + e.getMessage()
                + ")");
        }
        GateDecision decision = gate.decide(accuracy, OptionalDouble.of(baseline));
        return withReason(decision, " (best step " + pointer.step() + " re-scored " + scoringName(scoredWith) + "; "
            + recorded + ")");
    }

    /**
     * The accuracy of the run's best checkpoint on {@code split}, scored this evaluator's way.
     *
     * @throws EvaluationException when the best checkpoint is gone, corrupt or does not fit the split
     * @throws StorageException    (retriable) when S3 does not answer
     */
    private double rescore(BestModelPointer pointer, TestSplit split) {
        String key = pointer.sha256() + " " + split.manifest().datasetId() + " " + config.testTimeAugmentationLabel();
        Double known = rescoredBest.get(key);
        if (known != null) {
            return known;
        }
        ObjectUri uri = parseUri(pointer.checkpointUri());
        double accuracy = report(uri, fetch(uri, pointer.sha256(), pointer.runId(), pointer.step(),
            "the best pointer"), split).accuracy();
        rescoredBest.put(key, accuracy);
        return accuracy;
    }

    private static GateDecision withReason(GateDecision decision, String suffix) {
        return new GateDecision(decision.passed(), decision.promoted(), decision.reason() + suffix);
    }

    private static String scoringName(String testTimeAugmentation) {
        return testTimeAugmentation == null ? "without test-time augmentation" : "with " + testTimeAugmentation;
    }

    /**
     * Fetches, verifies and decodes the checkpoint at {@code uri}, which {@code announcer} (the event, the best
     * pointer) says holds {@code runId} at {@code step}.
     */
    private CheckpointArchive fetch(ObjectUri uri, String sha256, String runId, long step, String announcer) {
        byte[] bytes;
        try {
            bytes = objects.getVerified(uri, sha256);
        } catch (StorageException e) {
            if (e.retriable()) {
                throw e;
            }
            throw new EvaluationException("checkpoint " + uri + " cannot be used: " + e.getMessage(), e);
        }
        CheckpointArchive archive;
        try {
            archive = CheckpointArchive.decode(bytes, uri.toString());
        } catch (UnsupportedCheckpointFormatException e) {
            throw new ScoringUnavailableException(e.getMessage(), e, false);
        } catch (CorruptCheckpointException e) {
            throw new EvaluationException(e.getMessage(), e);
        }
        CheckpointArchive.Metadata meta = archive.metadata();
        if (!meta.runId().equals(runId) || meta.step() != step) {
            throw new EvaluationException("checkpoint " + uri + " is incompatible with " + announcer + ": it holds run "
                + meta.runId() + " step " + meta.step() + ", " + announcer + " announced run " + runId + " step " + step);
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

    private static ObjectUri parseUri(String checkpointUri) {
        try {
            return ObjectUri.parse(checkpointUri);
        } catch (IllegalArgumentException e) {
            throw new EvaluationException(e.getMessage(), e);
        }
    }
}
