package dev.trainstream.engine.training;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.trainstream.engine.data.Augmentation;
import dev.trainstream.engine.data.ChannelStatistics;
import dev.trainstream.engine.data.Normalization;

/**
 * Every setting of the training loop; validated once, saved with each training state and read back on restore.
 *
 * @param optimizer update rule
 * @param learningRate base (peak) rate after warm-up
 * @param momentum SGD momentum, or AdamW's beta1
 * @param nesterov SGD only: Nesterov momentum (PyTorch formulation)
 * @param weightDecay SGD: L2 coefficient added to the gradient; AdamW: decoupled decay coefficient
 * @param decayPolicy which parameters are decayed
 * @param schedule curve after warm-up
 * @param warmupSteps steps of linear warm-up from {@code lr/warmupSteps} to {@code lr}
 * @param totalSteps planned run length in optimizer steps (the cosine reaches its minimum here)
 * @param minLearningRate cosine floor
 * @param stepDecayEvery STEP schedule: steps between decays
 * @param stepDecayFactor STEP schedule: multiplier applied at each decay
 * @param labelSmoothing epsilon of label smoothing (0 = plain cross-entropy)
 * @param gradClipNorm global L2 gradient-norm clip (0 = off)
 * @param batchSize images per optimizer step (used for the default learning rate and by callers)
 * @param seed fixes initialisation, augmentation and dropout
 * @param augmentation what is done to training images before normalisation (states written before it existed
 *                    carry a boolean under {@code augment}: true = crop + flip)
 * @param adamBeta2 AdamW's second-moment decay
 * @param adamEpsilon AdamW's denominator epsilon
 * @param channelStatistics the dataset's per-channel pixel mean and std to normalise with; null (and in states saved
 *                    before it existed) = CIFAR-10's values for three channels ({@link #normalization(int)})
 */
public record TrainingConfig(
        OptimizerKind optimizer,
        double learningRate,
        double momentum,
        boolean nesterov,
        double weightDecay,
        DecayPolicy decayPolicy,
        ScheduleKind schedule,
        long warmupSteps,
        long totalSteps,
        double minLearningRate,
        long stepDecayEvery,
        double stepDecayFactor,
        double labelSmoothing,
        double gradClipNorm,
        int batchSize,
        long seed,
        @JsonAlias("augment") Augmentation augmentation,
        double adamBeta2,
        double adamEpsilon,
        @JsonInclude(JsonInclude.Include.NON_NULL) ChannelStatistics channelStatistics) {

    /** Validates every setting, naming the one that is wrong. */
    public TrainingConfig {
        require(optimizer != null, "optimizer must be set");
        require(decayPolicy != null, "decayPolicy must be set");
        require(schedule != null, "schedule must be set");
        require(augmentation != null, "augmentation must be set (NONE for normalisation only)");
        require(learningRate > 0 && Double.isFinite(learningRate), "learningRate must be > 0, got " + learningRate);
        require(momentum >= 0 && momentum < 1, "momentum must be in [0, 1), got " + momentum);
        require(!nesterov || momentum > 0, "nesterov needs momentum > 0");
        require(weightDecay >= 0 && Double.isFinite(weightDecay), "weightDecay must be >= 0, got " + weightDecay);
        require(totalSteps > 0, "totalSteps must be > 0 (the schedule needs the run length), got " + totalSteps);
        require(warmupSteps >= 0 && warmupSteps <= totalSteps,
                "warmupSteps must be in [0, totalSteps], got " + warmupSteps);
        require(minLearningRate >= 0 && minLearningRate <= learningRate,
                "minLearningRate must be in [0, learningRate], got " + minLearningRate);
        require(stepDecayEvery > 0, "stepDecayEvery must be > 0, got " + stepDecayEvery);
        require(stepDecayFactor > 0 && stepDecayFactor <= 1, "stepDecayFactor must be in (0, 1], got " + stepDecayFactor);
        require(labelSmoothing >= 0 && labelSmoothing < 1, "labelSmoothing must be in [0, 1), got " + labelSmoothing);
        require(gradClipNorm >= 0 && Double.isFinite(gradClipNorm), "gradClipNorm must be >= 0, got " + gradClipNorm);
        require(batchSize > 0, "batchSize must be > 0, got " + batchSize);
        require(adamBeta2 > 0 && adamBeta2 < 1, "adamBeta2 must be in (0, 1), got " + adamBeta2);
        require(adamEpsilon > 0, "adamEpsilon must be > 0, got " + adamEpsilon);
        require(optimizer != OptimizerKind.ADAMW || momentum > 0, "momentum (AdamW beta1) must be > 0 for ADAMW");
    }

    /** How images of {@code channels} channels are normalised in this run: its statistics, or the old default. */
    public Normalization normalization(int channels) {
        if (channelStatistics == null) {
            return Normalization.forChannels(channels);
        }
        if (channelStatistics.mean().size() != channels) {
            throw new IllegalArgumentException("the run's channel statistics cover " + channelStatistics.mean().size()
                + " channels, the images have " + channels);
        }
        return channelStatistics.normalization();
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Returns a builder; only {@code totalSteps} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builder with documented CIFAR defaults. */
    public static final class Builder {
        private OptimizerKind optimizer = OptimizerKind.SGD;
        // NaN = derive: SGD 0.1 * batchSize / 128 (the CIFAR ResNet recipe, linearly scaled); AdamW 1e-3.
        private double learningRate = Double.NaN;
        // 0.9 is the standard SGD momentum and AdamW's beta1.
        private double momentum = 0.9;
        // Nesterov converges a little faster on CIFAR at no extra cost.
        private boolean nesterov = true;
        // NaN = derive: SGD 5e-4 (CIFAR standard), AdamW 0.05.
        private double weightDecay = Double.NaN;
        private DecayPolicy decayPolicy = DecayPolicy.CONV_AND_LINEAR_WEIGHTS;
        // Cosine to zero needs no tuning of decay points.
        private ScheduleKind schedule = ScheduleKind.COSINE;
        // -1 = derive: 2% of totalSteps, which keeps the first steps at a large batch-scaled rate stable.
        private long warmupSteps = -1;
        private long totalSteps;
        private double minLearningRate;
        // 0 = derive: a third of totalSteps (two decays per run).
        private long stepDecayEvery;
        private double stepDecayFactor = 0.1;
        // Plain cross-entropy unless asked (0.1 is a common choice).
        private double labelSmoothing;
        private double gradClipNorm;
        // 128 is the CIFAR reference batch.
        private int batchSize = 128;
        private long seed = 42;
        private Augmentation augmentation = Augmentation.CROP_FLIP;
        private double adamBeta2 = 0.999;
        private double adamEpsilon = 1e-8;
        private ChannelStatistics channelStatistics;

        private Builder() {}

        /** Update rule (default SGD). */
        public Builder optOptimizer(OptimizerKind value) {
            this.optimizer = value;
            return this;
        }

        /** Peak learning rate (default: SGD 0.1 * batchSize / 128, AdamW 1e-3). */
        public Builder optLearningRate(double value) {
            this.learningRate = value;
            return this;
        }

        /** Momentum / AdamW beta1 (default 0.9). */
        public Builder optMomentum(double value) {
            this.momentum = value;
            return this;
        }

        /** Nesterov momentum for SGD (default true). */
        public Builder optNesterov(boolean value) {
            this.nesterov = value;
            return this;
        }

        /** Weight decay (default: SGD 5e-4, AdamW 0.05). */
        public Builder optWeightDecay(double value) {
            this.weightDecay = value;
            return this;
        }

        /** Which parameters decay (default CONV_AND_LINEAR_WEIGHTS). */
        public Builder optDecayPolicy(DecayPolicy value) {
            this.decayPolicy = value;
            return this;
        }

        /** Schedule after warm-up (default COSINE). */
        public Builder optSchedule(ScheduleKind value) {
            this.schedule = value;
            return this;
        }

        /** Warm-up steps (default 2% of totalSteps). */
        public Builder optWarmupSteps(long value) {
            this.warmupSteps = value;
            return this;
        }

        /** Planned run length in optimizer steps (required). */
        public Builder setTotalSteps(long value) {
            this.totalSteps = value;
            return this;
        }

        /** Cosine floor (default 0). */
        public Builder optMinLearningRate(double value) {
            this.minLearningRate = value;
            return this;
        }

        /** STEP schedule: steps between decays (default totalSteps / 3). */
        public Builder optStepDecayEvery(long value) {
            this.stepDecayEvery = value;
            return this;
        }

        /** STEP schedule: multiplier per decay (default 0.1). */
        public Builder optStepDecayFactor(double value) {
            this.stepDecayFactor = value;
            return this;
        }

        /** Label smoothing epsilon (default 0). */
        public Builder optLabelSmoothing(double value) {
            this.labelSmoothing = value;
            return this;
        }

        /** Global gradient-norm clip, 0 = off (default 0). */
        public Builder optGradClipNorm(double value) {
            this.gradClipNorm = value;
            return this;
        }

        /** Images per step (default 128). */
        public Builder optBatchSize(int value) {
            this.batchSize = value;
            return this;
        }

        /** Seed for initialisation, augmentation and dropout (default 42). */
        public Builder optSeed(long value) {
            this.seed = value;
            return this;
        }

        /** What is done to training images before normalisation (default crop + flip). */
        public Builder optAugmentation(Augmentation value) {
            this.augmentation = value;
            return this;
        }

        /** The dataset's per-channel statistics (null = CIFAR-10's). */
        public Builder optChannelStatistics(ChannelStatistics value) {
            channelStatistics = value;
            return this;
        }

        /** AdamW beta2 (default 0.999). */
        public Builder optAdamBeta2(double value) {
            this.adamBeta2 = value;
            return this;
        }

        /** AdamW epsilon (default 1e-8). */
        public Builder optAdamEpsilon(double value) {
            this.adamEpsilon = value;
            return this;
        }

        /** Builds the configuration; throws {@link IllegalArgumentException} naming an invalid setting. */
        public TrainingConfig build() {
            if (totalSteps <= 0) {
                throw new IllegalArgumentException("totalSteps must be set (> 0): the schedule needs the run length");
            }
            boolean sgd = optimizer != OptimizerKind.ADAMW;
            double lr = Double.isNaN(learningRate) ? (sgd ? 0.1 * batchSize / 128.0 : 1e-3) : learningRate;
            double wd = Double.isNaN(weightDecay) ? (sgd ? 5e-4 : 0.05) : weightDecay;
            long warmup = warmupSteps < 0 ? Math.round(totalSteps * 0.02) : warmupSteps;
            long decayEvery = stepDecayEvery == 0 ? Math.max(1, totalSteps / 3) : stepDecayEvery;
            return new TrainingConfig(optimizer, lr, momentum, sgd && nesterov, wd, decayPolicy, schedule, warmup,
                    totalSteps, minLearningRate, decayEvery, stepDecayFactor, labelSmoothing, gradClipNorm,
                    batchSize, seed, augmentation, adamBeta2, adamEpsilon, channelStatistics);
        }
    }
}
