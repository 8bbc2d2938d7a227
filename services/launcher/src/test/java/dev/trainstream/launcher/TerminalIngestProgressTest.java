package dev.trainstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The terminal bar shows progress, rate and ETA from the numbers it is given. */
class TerminalIngestProgressTest {
    @Test
    void givenHalfUploaded_whenRendered_thenBarIsHalfFullWithRateAndEta() {
        String line = TerminalIngestProgress.render(50_000_000, 100_000_000, 10);
        assertThat(line).startsWith("[" + "#".repeat(15) + " ".repeat(15) + "]")
            .contains("50.0/100.0 MB uploaded", "5.0 MB/s", "ETA 10 s");
    }

    @Test
    void givenNothingToUpload_whenRendered_thenBarIsFull() {
        assertThat(TerminalIngestProgress.bar(0, 0)).isEqualTo("[" + "#".repeat(30) + "]");
    }
}
