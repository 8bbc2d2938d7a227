package dev.trainstream.launcher;

import dev.trainstream.engine.training.StepResult;
import dev.trainstream.trainer.TrainingProgress;
import java.io.PrintStream;
import java.util.Locale;

/**
 * A redrawn per-epoch progress bar on a terminal (epoch, step, loss, images/s, ETA). When the output is not a terminal
 * the trainer's periodic log lines already say the same in plain text, so nothing is drawn.
 */
final class TerminalTrainingProgress implements TrainingProgress {
    private final PrintStream out;
    private long epochStartNanos = System.nanoTime();
    private int currentEpoch = -1;
    private long imagesInEpoch;
    private long lastDraw;

    TerminalTrainingProgress(PrintStream out) {
        this.out = out;
    }

    /** A bar when stdout is a terminal, nothing otherwise. */
    static TrainingProgress forConsole() {
        return System.console() != null ? new TerminalTrainingProgress(System.out) : TrainingProgress.none();
    }

    @Override
    public synchronized void stepped(int epoch, int stepInEpoch, int stepsInEpoch, StepResult result, int batchImages) {
        long now = System.nanoTime();
        if (epoch != currentEpoch) {
            currentEpoch = epoch;
            epochStartNanos = now;
            imagesInEpoch = 0;
        }
        imagesInEpoch += batchImages;
        boolean last = stepInEpoch >= stepsInEpoch;
        if (!last && now - lastDraw < 200_000_000L) {
            return;
        }
        lastDraw = now;
        out.print("\r\033[K" + render(epoch, stepInEpoch, stepsInEpoch, result.loss(), imagesInEpoch,
            (now - epochStartNanos) / 1e9));
        if (last) {
            out.println();
        }
        out.flush();
    }

    static String render(int epoch, int step, int steps, double loss, long images, double seconds) {
        double rate = images / Math.max(1e-3, seconds);
        double eta = step == 0 ? 0 : seconds / step * (steps - step);
        return String.format(Locale.ROOT, "epoch %d %s %d/%d loss %.4f %.0f img/s ETA %.0f s", epoch + 1,
            TerminalIngestProgress.bar(step, steps), step, steps, loss, rate, eta);
    }
}
