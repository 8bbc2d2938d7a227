package dev.trainstream.engine.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.trainstream.engine.data.BatchSource;
import dev.trainstream.engine.data.LabeledImages;
import dev.trainstream.engine.data.PreparedBatch;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Order, step numbering, bounded look-ahead, data-wait measurement and failure hand-over. */
class PrefetchPipelineTest {

    private static LabeledImages image(int label) {
        return new LabeledImages(1, 3, 2, 2, new byte[12], new int[] {label});
    }

    private static PreparedBatch prepare(LabeledImages raw, long step) {
        if (raw.labels()[0] % 3 == 0) {
            // uneven work so parallel workers finish out of order
            java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
        }
        return new PreparedBatch(step, 1, 3, 2, 2, new float[12], raw.labels());
    }

    private static BatchSource counting(int total, AtomicInteger pulled) {
        return () -> {
            int n = pulled.getAndIncrement();
            return n < total ? Optional.of(image(n)) : Optional.empty();
        };
    }

    @Test
    void givenSeveralWorkers_whenConsumed_thenSourceOrderAndConsecutiveStepsFromFirstStep() throws Exception {
        List<PreparedBatch> seen = new ArrayList<>();
        try (PrefetchPipeline pipeline = PrefetchPipeline.start(counting(20, new AtomicInteger()),
                PrefetchPipelineTest::prepare, 100, 4, 3)) {
            Optional<PrefetchPipeline.Fetched> next;
            while ((next = pipeline.next()).isPresent()) {
                seen.add(next.get().batch());
            }
            assertThat(pipeline.delivered()).isEqualTo(20);
            assertThat(pipeline.next()).isEmpty();
        }
        assertThat(seen).extracting(b -> b.labels()[0]).containsExactlyElementsOf(
                java.util.stream.IntStream.range(0, 20).boxed().toList());
        assertThat(seen).extracting(PreparedBatch::globalStep).containsExactlyElementsOf(
                java.util.stream.LongStream.range(100, 120).boxed().toList());
    }

    @Test
    void givenSlowConsumer_whenSourceIsFast_thenLookaheadIsBounded() throws Exception {
        AtomicInteger pulled = new AtomicInteger();
        try (PrefetchPipeline pipeline = PrefetchPipeline.start(counting(1000, pulled),
                PrefetchPipelineTest::prepare, 0, 3, 1)) {
            // queue of 3 + one batch held by the blocked reader
            await().atMost(Duration.ofSeconds(5)).until(() -> pulled.get() >= 4);
            await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> pulled.get() <= 4);
            assertThat(pipeline.next()).isPresent();
            await().atMost(Duration.ofSeconds(5)).until(() -> pulled.get() == 5);
        }
    }

    @Test
    void givenBlockingSource_whenConsumerWaits_thenDataWaitIsMeasured() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        BatchSource gated = () -> {
            if (!release.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
            return Optional.of(image(1));
        };
        try (PrefetchPipeline pipeline = PrefetchPipeline.start(gated, PrefetchPipelineTest::prepare, 0, 2, 1)) {
            Thread releaser = new Thread(() -> {
                java.util.concurrent.locks.LockSupport.parkNanos(50_000_000);
                release.countDown();
            });
            releaser.start();
            PrefetchPipeline.Fetched fetched = pipeline.next().orElseThrow();
            releaser.join();

            assertThat(fetched.dataWaitMillis()).isGreaterThanOrEqualTo(40.0);
            assertThat(pipeline.totalDataWaitNanos()).isGreaterThanOrEqualTo(fetched.dataWaitNanos());
        }
    }

    @Test
    void givenFailingSource_whenConsumed_thenFailureReachesTrainingThreadWithCause() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        BatchSource failing = () -> {
            if (calls.getAndIncrement() == 1) {
                throw new IOException("s3 object missing");
            }
            return Optional.of(image(0));
        };
        try (PrefetchPipeline pipeline = PrefetchPipeline.start(failing, PrefetchPipelineTest::prepare, 0, 2, 1)) {
            assertThat(pipeline.next()).isPresent();
            assertThatThrownBy(pipeline::next).isInstanceOf(PrefetchPipeline.PipelineException.class)
                    .hasCauseInstanceOf(IOException.class).hasMessageContaining("s3 object missing");
        }
    }

    @Test
    void givenInvalidSettings_whenStarted_thenRejected() {
        assertThatThrownBy(() -> PrefetchPipeline.start(() -> Optional.empty(), PrefetchPipelineTest::prepare, 0, 0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lookahead");
        assertThatThrownBy(() -> PrefetchPipeline.start(() -> Optional.empty(), PrefetchPipelineTest::prepare, 0, 1, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threads");
    }
}
