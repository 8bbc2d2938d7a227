package dev.trainstream.trainer;

import dev.trainstream.engine.data.ChannelStatistics;
import dev.trainstream.engine.model.ModelOptions;
import dev.trainstream.engine.training.EngineOptions;
import dev.trainstream.engine.training.TrainingConfig;
import dev.trainstream.engine.training.TrainingSession;
import dev.trainstream.events.BatchReference;
import dev.trainstream.events.RunConfig;
import dev.trainstream.storage.dataset.DatasetManifest;
import dev.trainstream.storage.dataset.PixelStatistics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a run's training session from its configuration, its dataset's manifest and the first batch reference (which
 * fixes the batch size and steps per epoch), and describes the result as the run's {@link RunConfig}.
 */
final class SessionFactory {
    private static final Logger LOG = LoggerFactory.getLogger(SessionFactory.class);
    private final TrainerConfig config;
    private final EngineOptions engine;

    SessionFactory(TrainerConfig config, EngineOptions engine) {
        this.config = config;
        this.engine = engine;
    }

    /** The model for this dataset: its resolution and class count, the run's width, activation and dropout. */
    ModelOptions model(DatasetManifest manifest) {
        return ModelOptions.builder().optWidthMultiplier(config.widthMultiplier())
            .optResolution(manifest.imageShape().height()).optStemStride(1).optActivation(config.activation())
            .optNumClasses(manifest.classes().size()).optDropout(config.dropout()).build();
    }

    /** A fresh session; a learning rate or weight decay absent from the configuration leaves the engine's default. */
    TrainingSession create(DatasetManifest manifest, BatchReference first) {
        TrainingConfig.Builder training = TrainingConfig.builder().optOptimizer(config.optimizer())
            .setTotalSteps((long) config.epochs() * first.stepsInEpoch()).optBatchSize(first.batchSize())
            .optSeed(config.seed()).optLabelSmoothing(config.labelSmoothing())
            .optAugmentation(config.augmentation());
        config.learningRate().ifPresent(training::optLearningRate);
        config.weightDecay().ifPresent(training::optWeightDecay);
        training.optChannelStatistics(channelStatistics(manifest));
        return TrainingSession.create(model(manifest), training.build(), engine);
    }

    /**
     * The dataset's pixel statistics, measured at ingest; a manifest from before they were recorded (format 1) has
     * none, and the run normalises with CIFAR-10's values, as it says in the log.
     */
    static ChannelStatistics channelStatistics(DatasetManifest manifest) {
        PixelStatistics stats = manifest.pixelStatistics();
        if (stats == null) {
            LOG.info("dataset {} has no pixel statistics in its manifest (format {}): normalising with CIFAR-10's",
                manifest.datasetId(), manifest.formatVersion());
            return null;
        }
        LOG.info("dataset {}: normalising with its own pixel statistics, mean {} std {}", manifest.datasetId(),
            stats.mean(), stats.std());
        return new ChannelStatistics(stats.mean(), stats.std());
    }

    /** What the run trains with, as its lifecycle events announce it. */
    RunConfig runConfig(TrainingSession session, DatasetManifest manifest) {
        TrainingConfig t = session.config();
        return new RunConfig(manifest.datasetId(), RunEvents.modelSpec(session.model()), t.optimizer().name(),
            t.learningRate(), t.momentum(), t.weightDecay(), t.batchSize(), config.epochs(), t.seed());
    }
}
