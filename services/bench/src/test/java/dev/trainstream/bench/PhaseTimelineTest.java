package dev.trainstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainstream.ingest.timeline.PhaseSpan;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ingest breakdown lists phases in the order they began, with uploads as their first and last moment. */
class PhaseTimelineTest {

    @Test
    void givenPhasesUploadsAndEpochs_whenRendered_thenOneLinePerMarkInTimeOrder() {
        PhaseTimeline timeline = new PhaseTimeline();
        timeline.phase("reading archive");
        timeline.uploaded(10, 30);
        timeline.uploaded(20, 30);
        timeline.uploaded(30, 30);
        timeline.phase("stored dataset ds-1");
        timeline.epochPublished(0, 1, 1, 391);

        List<String> lines = timeline.render().lines().toList();

        assertThat(lines.get(0)).contains("+wall", "+cpu", "phase");
        assertThat(lines.subList(1, lines.size())).hasSize(5).satisfiesExactly(
            l -> assertThat(l).endsWith("reading archive"),
            l -> assertThat(l).endsWith("uploaded 10 of 30 bytes"),
            l -> assertThat(l).endsWith("uploaded 30 of 30 bytes"),
            l -> assertThat(l).endsWith("stored dataset ds-1"),
            l -> assertThat(l).endsWith("epoch 0 committed (391 batch references)"));
    }

    @Test
    void givenPhaseSpans_whenRendered_thenEachSpanTheOverlapAndTheFloorPerCoreCountAreShown() {
        PhaseTimeline timeline = new PhaseTimeline();
        timeline.phase("reading archive");
        timeline.phases(List.of(
            new PhaseSpan("read", 0, 2_000_000_000L, 1_500_000_000L, 1),
            new PhaseSpan("upload", 500_000_000L, 2_500_000_000L, 100_000_000L, 24)));

        String text = timeline.render();

        assertThat(text).containsPattern("read\\s+0\\.00\\s+2\\.00\\s+2\\.00\\s+1\\.50")
            .containsPattern("upload\\s+0\\.50\\s+2\\.50\\s+2\\.00\\s+0\\.10")
            .contains("phases' walls add up to 4.00 s")
            // However many cores, the reading thread's 1.5 s of CPU stays: it is one gzip stream.
            .contains("16 cores 1.50 s");
    }
}
