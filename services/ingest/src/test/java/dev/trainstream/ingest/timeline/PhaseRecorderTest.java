package dev.trainstream.ingest.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A phase worked on by several threads spans from its first piece's start to its last piece's end. */
class PhaseRecorderTest {

    @Test
    void givenPiecesOnTwoThreadsThatOverlap_whenSpansTaken_thenOnePhaseCoversBothAndPhasesAreInStartOrder()
        throws Exception {
        PhaseRecorder recorder = new PhaseRecorder();
        CountDownLatch bothOpen = new CountDownLatch(2);
        Runnable piece = () -> {
            try (PhaseRecorder.Piece p = recorder.start("upload")) {
                bothOpen.countDown();
                bothOpen.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        try (PhaseRecorder.Piece read = recorder.start("read")) {
            Thread a = new Thread(piece);
            Thread b = new Thread(piece);
            a.start();
            b.start();
            a.join(10_000);
            b.join(10_000);
        }

        List<PhaseSpan> spans = recorder.spans();

        assertThat(spans).extracting(PhaseSpan::name).containsExactly("read", "upload");
        PhaseSpan read = spans.get(0);
        PhaseSpan upload = spans.get(1);
        assertThat(upload.pieces()).isEqualTo(2);
        assertThat(read.pieces()).isEqualTo(1);
        // The uploads ran inside the read: their span lies within it.
        assertThat(upload.startNanos()).isGreaterThanOrEqualTo(read.startNanos());
        assertThat(upload.endNanos()).isLessThanOrEqualTo(read.endNanos());
        assertThat(upload.threadCpuNanos()).isNotNegative();
    }
}
