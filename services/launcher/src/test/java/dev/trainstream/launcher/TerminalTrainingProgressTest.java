package dev.trainstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainstream.engine.training.StepResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The per-epoch training bar shows step, loss, rate and ETA, and ends the line at the epoch's last step. */
class TerminalTrainingProgressTest {
    @Test
    void givenAQuarterOfAnEpoch_whenRendered_thenBarStepLossRateAndEtaAreShown() {
        String line = TerminalTrainingProgress.render(1, 25, 100, 1.23456, 3200, 10);
        assertThat(line).startsWith("epoch 2 [" + "#".repeat(7) + " ".repeat(23) + "] 25/100")
            .contains("loss 1.2346", "320 img/s", "ETA 30 s");
    }

    @Test
    void givenTheLastStepOfAnEpoch_whenReported_thenTheLineIsFinished() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TerminalTrainingProgress progress = new TerminalTrainingProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        progress.stepped(0, 4, 4, new StepResult(4, 0.5, 0.9, 0.1, 1_000_000), 32);
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("epoch 1", "4/4", "loss 0.5000").endsWith("\n");
    }
}
