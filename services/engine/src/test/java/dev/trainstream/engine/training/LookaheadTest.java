package dev.trainstream.engine.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainstream.engine.data.PreparedBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Submission order across uneven workers, items without batches in place, bounds, data wait and failure hand-over. */
class LookaheadTest {

    private static PreparedBatch batch(int label) {
        if (label % 3 == 0) {
            // uneven work so parallel workers finish out of order
            LockSupport.parkNanos(2_000_000);
        }
        return new PreparedBatch(label, 1, 3, 2, 2, new float[12], new int[] {label});
    }

    @Test
    void givenSeveralWorkersAndMarkers_whenTaken_thenSubmissionOrderIsKept() throws Exception {
        List<String> seen = new ArrayList<>();
        try (Lookahead<String> lookahead = Lookahead.start(4, 3, "test-prepare")) {
            int submitted = 0;
            while (submitted < 20 || !lookahead.isEmpty()) {
                while (submitted < 20 && lookahead.hasRoom()) {
                    int label = submitted++;
                    if (label % 5 == 4) {
                        lookahead.pass("marker-" + label);
                    } else {
                        lookahead.submit("batch-" + label, () -> batch(label));
                    }
                }
                Lookahead.Ready<String> ready = lookahead.take();
                if (ready.batch() != null) {
                    assertThat(ready.item()).isEqualTo("batch-" + ready.batch().labels()[0]);
                }
                seen.add(ready.item());
            }
        }
        assertThat(seen).containsExactlyElementsOf(IntStream.range(0, 20)
            .mapToObj(i -> (i % 5 == 4 ? "marker-" : "batch-") + i).toList());
    }

    @Test
    void givenDepth_whenFull_thenNoRoomUntilTheHeadIsTaken() throws Exception {
        try (Lookahead<Integer> lookahead = Lookahead.start(2, 1, "test-prepare")) {
            lookahead.submit(0, () -> batch(1));
            assertThat(lookahead.hasRoom()).isTrue();
            lookahead.submit(1, () -> batch(2));
            assertThat(lookahead.hasRoom()).isFalse();
            assertThat(lookahead.count(i -> i >= 0)).isEqualTo(2);
            assertThat(lookahead.take().item()).isZero();
            assertThat(lookahead.hasRoom()).isTrue();
        }
    }

    @Test
    void givenASlowPreparation_whenTaken_thenTheWaitIsMeasuredAndTheHeadWasPending() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (Lookahead<String> lookahead = Lookahead.start(2, 1, "test-prepare")) {
            lookahead.submit("gated", () -> {
                if (!release.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("never released");
                }
                return batch(1);
            });
            assertThat(lookahead.headPending()).isTrue();
            Thread releaser = new Thread(() -> {
                LockSupport.parkNanos(50_000_000);
                release.countDown();
            });
            releaser.start();
            Lookahead.Ready<String> ready = lookahead.take();
            releaser.join();
            assertThat(ready.waitNanos()).isGreaterThanOrEqualTo(40_000_000L);
            assertThat(lookahead.totalWaitNanos()).isEqualTo(ready.waitNanos());
        }
    }

    @Test
    void givenAFailingPreparation_whenTaken_thenTheOriginalCauseComesBackWithItsItem() throws Exception {
        IllegalStateException boom = new IllegalStateException("shard missing");
        try (Lookahead<String> lookahead = Lookahead.start(2, 1, "test-prepare")) {
            lookahead.submit("bad", () -> {
                throw boom;
            });
            Lookahead.Ready<String> ready = lookahead.take();
            assertThat(ready.item()).isEqualTo("bad");
            assertThat(ready.batch()).isNull();
            assertThat(ready.failure()).isSameAs(boom);
            assertThatThrownBy(ready::batchOrThrow).isInstanceOf(Lookahead.PreparationException.class).hasCause(boom);
        }
    }
}
