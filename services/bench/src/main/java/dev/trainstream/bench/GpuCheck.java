package dev.trainstream.bench;

import dev.trainstream.engine.data.LabeledImages;
import dev.trainstream.engine.evaluation.EvaluationReport;
import dev.trainstream.engine.model.ModelOptions;
import dev.trainstream.engine.runtime.EngineRuntime;
import dev.trainstream.engine.state.TensorRecord;
import dev.trainstream.engine.training.DecayPolicy;
import dev.trainstream.engine.training.EngineOptions;
import dev.trainstream.engine.training.StepResult;
import dev.trainstream.engine.training.TrainingConfig;
import dev.trainstream.engine.training.TrainingSession;
import dev.trainstream.ingest.source.LoadedDataset;
import dev.trainstream.ingest.source.SyntheticDataset;
import dev.trainstream.storage.dataset.Shard;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Does training on a device give what training on the CPU gives? In one process: the same starting weights (made on
 * the CPU, restored on each side, since each device has its own random generator), the same augmented batches for
 * {@code --steps} steps on the CPU and on {@code --device}; then each side's training state restored on the other
 * device with bitwise-equal parameters and one more step from it; then one state scored on both devices. With
 * {@code --device cpu} both sides are the CPU (the rehearsal: every line is printed, every comparison runs).
 *
 * <p>Every result is one {@code gpucheck ...} line of {@code key=value} pairs. Exit 0 when every check passes, 4 when
 * one fails (the lines say which), 2 for a bad option or a device that is not there, 1 for any other failure.
 */
@Command(name = "gpucheck", mixinStandardHelpOptions = true, sortOptions = false,
    description = "CPU vs device agreement: loss curves on the same seed and batches, training states restored "
        + "across devices with equal parameters, evaluation of one state on both. Prints 'gpucheck key=value' lines.")
final class GpuCheck implements Callable<Integer> {

    /** Exit code when a comparison fails (0 = all passed; 1 and 2 are the bench command's). */
    static final int DISAGREES = 4;
    private static final int CLASSES = 10;
    private static final int EVAL_BATCH = 256;

    @Spec
    CommandSpec spec;

    @Option(names = "--device", paramLabel = "D", defaultValue = "GPU",
        description = "The device compared with the CPU: gpu (GPU 0) or cpu (rehearsal). Default: gpu")
    BenchDevice device;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "20",
        description = "Training steps per side. Default: ${DEFAULT-VALUE}")
    int steps;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "128",
        description = "Training batch. Default: ${DEFAULT-VALUE}")
    int batch;

    @Option(names = "--eval-images", paramLabel = "N", defaultValue = "1024",
        description = "Synthetic test images scored on both devices. Default: ${DEFAULT-VALUE}")
    int evalImages;

    @Option(names = "--width", paramLabel = "A", defaultValue = "1.0",
        description = "Width multiplier alpha of MobileNetV1. Default: ${DEFAULT-VALUE}")
    double width;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "2",
        description = "Intra-op threads (the CPU side). Default: ${DEFAULT-VALUE}")
    int threads;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
        description = "Seed of the weights, the synthetic images and the augmentation. Default: ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--loss-tolerance", paramLabel = "T", defaultValue = "0.01",
        description = "Per step, |loss(device) - loss(cpu)| <= T * (1 + |loss(cpu)|): float32 with different kernels "
            + "(cuDNN may use TF32) drifts; a broken device path misses by far more. Default: ${DEFAULT-VALUE}")
    double lossTolerance;

    @Option(names = "--accuracy-tolerance", paramLabel = "T", defaultValue = "0.01",
        description = "|accuracy(device) - accuracy(cpu)| of the same state on the same images. "
            + "Default: ${DEFAULT-VALUE}")
    double accuracyTolerance;

    @Override
    public Integer call() throws Exception {
        validate();
        PrintWriter out = spec.commandLine().getOut();
        List<Check> checks = run(out);
        long failed = checks.stream().filter(c -> !c.passed()).count();
        out.printf(Locale.ROOT, "gpucheck result=%s passed=%d of=%d%n", failed == 0 ? "PASS" : "FAIL",
            checks.size() - failed, checks.size());
        out.flush();
        return failed == 0 ? 0 : DISAGREES;
    }

    private void validate() {
        BenchOptions.positive("steps", steps);
        BenchOptions.positive("batch", batch);
        BenchOptions.positive("eval-images", evalImages);
        BenchOptions.positive("threads", threads);
        if (!(width > 0)) {
            throw new IllegalArgumentException("--width must be > 0, got " + width);
        }
        if (!(lossTolerance >= 0) || !(accuracyTolerance >= 0)) {
            throw new IllegalArgumentException("--loss-tolerance and --accuracy-tolerance must be >= 0, got "
                + lossTolerance + " and " + accuracyTolerance);
        }
    }

    /** One comparison and whether it held. */
    record Check(String name, boolean passed) {
    }

    private List<Check> run(PrintWriter out) throws IOException {
        EngineOptions cpu = BenchDevice.CPU.engine(threads);
        EngineOptions other = device.engine(threads);
        // fails here, with the engine's own message, when the device is not there: before anything is trained
        device.choice().resolve(EngineRuntime.configure(cpu).getGpuCount());
        LoadedDataset data = new SyntheticDataset(batch * (steps + 1), evalImages, seed).load();
        LabeledImages train = images(data.train());
        LabeledImages test = images(data.test());
        ModelOptions model = ModelOptions.builder().optWidthMultiplier(width).build();
        // SGD Nesterov as the A/B bench; no warm-up so that every step moves the weights by the full rate
        TrainingConfig config = TrainingConfig.builder().setTotalSteps(steps + 1L).optBatchSize(batch)
            .optLearningRate(0.05).optWarmupSteps(0).optDecayPolicy(DecayPolicy.ALL).optSeed(seed).build();
        byte[] start;
        try (TrainingSession initial = TrainingSession.create(model, config, cpu)) {
            start = save(initial);
        }
        List<Check> checks = new ArrayList<>();
        Side reference = train(start, cpu, train);
        Side compared = train(start, other, train);
        out.printf(Locale.ROOT, "gpucheck device=%s engine_devices=%s steps=%d batch=%d width=%.2f seed=%d threads=%d"
            + " eval_images=%d%n", device.name().toLowerCase(Locale.ROOT), compared.devices(), steps, batch, width,
            seed, threads, evalImages);
        out.printf(Locale.ROOT, "gpucheck time side=cpu train_s=%.2f ms_per_step=%.1f%n", reference.seconds(),
            1000 * reference.seconds() / steps);
        out.printf(Locale.ROOT, "gpucheck time side=device train_s=%.2f ms_per_step=%.1f%n", compared.seconds(),
            1000 * compared.seconds() / steps);
        checks.add(lossCurve(out, reference.losses(), compared.losses()));
        checks.add(crossRestore(out, "state-device-to-cpu", compared, cpu, train));
        checks.add(crossRestore(out, "state-cpu-to-device", reference, other, train));
        checks.add(evaluation(out, compared.state(), cpu, other, test));
        return checks;
    }

    /** What one side's training left: losses per step, its final state, its parameters and its next step's loss. */
    private record Side(String devices, double[] losses, double seconds, byte[] state, List<TensorRecord> parameters,
                        double nextLoss) {
    }

    private Side train(byte[] start, EngineOptions engine, LabeledImages train) throws IOException {
        try (TrainingSession session = TrainingSession.restore(new ByteArrayInputStream(start), engine)) {
            double[] losses = new double[steps];
            long begin = System.nanoTime();
            for (int step = 0; step < steps; step++) {
                losses[step] = step(session, train, step).loss();
            }
            double seconds = (System.nanoTime() - begin) / 1e9;
            byte[] state = save(session);
            List<TensorRecord> parameters = session.parameterSnapshot();
            double next = step(session, train, steps).loss();
            return new Side(session.devices().toString(), losses, seconds, state, parameters, next);
        }
    }

    private StepResult step(TrainingSession session, LabeledImages train, int step) {
        return session.step(session.prepare(train.slice(step * batch, (step + 1) * batch), step));
    }

    private Check lossCurve(PrintWriter out, double[] cpu, double[] other) {
        LossAgreement agreement = LossAgreement.of(cpu, other, lossTolerance);
        for (int i = 0; i < cpu.length; i++) {
            out.printf(Locale.ROOT, "gpucheck loss step=%d cpu=%.6f device=%.6f diff=%.3e%n", i + 1, cpu[i], other[i],
                Math.abs(other[i] - cpu[i]));
        }
        out.printf(Locale.ROOT, "gpucheck check=loss-curve result=%s max_diff=%.3e at_step=%d worst_ratio=%.3f"
            + " tolerance=%s*(1+|loss|) first_cpu=%.6f last_cpu=%.6f last_device=%.6f%n",
            agreement.passed() ? "PASS" : "FAIL", agreement.maxDiff(), agreement.worstStep() + 1,
            agreement.worstRatio(), lossTolerance, cpu[0], cpu[cpu.length - 1], other[other.length - 1]);
        return new Check("loss-curve", agreement.passed());
    }

    /** Restores {@code side}'s state on {@code target}: equal parameters, and its next step close to the source's. */
    private Check crossRestore(PrintWriter out, String name, Side side, EngineOptions target, LabeledImages train)
            throws IOException {
        try (TrainingSession restored = TrainingSession.restore(new ByteArrayInputStream(side.state()), target)) {
            List<TensorRecord> parameters = restored.parameterSnapshot();
            long equal = countEqual(side.parameters(), parameters);
            long restoredStep = restored.globalStep();
            boolean sameStep = restoredStep == steps;
            double next = step(restored, train, steps).loss();
            boolean close = LossAgreement.of(new double[] {side.nextLoss()}, new double[] {next}, lossTolerance)
                .passed();
            boolean passed = equal == side.parameters().size() && parameters.size() == equal && sameStep && close;
            out.printf(Locale.ROOT, "gpucheck check=%s result=%s tensors_equal=%d of=%d values=%d global_step=%d"
                + " restored_on=%s next_loss_source=%.6f next_loss_restored=%.6f%n", name, passed ? "PASS" : "FAIL",
                equal, side.parameters().size(), values(parameters), restoredStep, restored.devices(),
                side.nextLoss(), next);
            return new Check(name, passed);
        }
    }

    private Check evaluation(PrintWriter out, byte[] state, EngineOptions cpu, EngineOptions other,
                             LabeledImages test) throws IOException {
        EvaluationReport onCpu = score(state, cpu, test);
        EvaluationReport onOther = score(state, other, test);
        double diff = Math.abs(onCpu.accuracy() - onOther.accuracy());
        boolean passed = onCpu.examples() == onOther.examples() && diff <= accuracyTolerance;
        out.printf(Locale.ROOT, "gpucheck check=evaluation result=%s images=%d accuracy_cpu=%.4f accuracy_device=%.4f"
            + " diff=%.4f tolerance=%s loss_cpu=%.6f loss_device=%.6f%n", passed ? "PASS" : "FAIL",
            onCpu.examples(), onCpu.accuracy(), onOther.accuracy(), diff, accuracyTolerance, onCpu.meanLoss(),
            onOther.meanLoss());
        return new Check("evaluation", passed);
    }

    private static EvaluationReport score(byte[] state, EngineOptions engine, LabeledImages test) throws IOException {
        try (TrainingSession session = TrainingSession.restore(new ByteArrayInputStream(state), engine)) {
            return session.evaluate(batches(test), CLASSES);
        }
    }

    private static Iterator<LabeledImages> batches(LabeledImages test) {
        List<LabeledImages> list = new ArrayList<>();
        for (int from = 0; from < test.count(); from += EVAL_BATCH) {
            list.add(test.slice(from, Math.min(test.count(), from + EVAL_BATCH)));
        }
        return list.iterator();
    }

    private static long countEqual(List<TensorRecord> expected, List<TensorRecord> actual) {
        long equal = 0;
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            if (expected.get(i).equals(actual.get(i))) {
                equal++;
            }
        }
        return equal;
    }

    private static long values(List<TensorRecord> records) {
        return records.stream().mapToLong(r -> r.values().length).sum();
    }

    private static byte[] save(TrainingSession session) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        session.save(bytes);
        return bytes.toByteArray();
    }

    private static LabeledImages images(Shard shard) {
        return new LabeledImages(shard.count(), 3, 32, 32, shard.pixels(), shard.labels());
    }
}
