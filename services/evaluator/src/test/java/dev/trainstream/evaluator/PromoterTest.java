package dev.trainstream.evaluator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainstream.events.CheckpointCreated;
import dev.trainstream.events.EvaluationCompleted;
import dev.trainstream.events.GateDecision;
import dev.trainstream.events.ModelSpec;
import dev.trainstream.infra.EmbeddedS3;
import dev.trainstream.storage.ObjectStore;
import dev.trainstream.storage.RetryPolicy;
import dev.trainstream.storage.S3Settings;
import dev.trainstream.storage.checkpoint.BestModelPointer;
import dev.trainstream.storage.checkpoint.BestModelStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two evaluators (each with its own S3 client, as two processes) whose gates both passed checkpoints of one run
 * against the same old best: whichever order they promote in, {@code best.json} ends at the better checkpoint.
 */
class PromoterTest {
    private static final String SHA = "b".repeat(64);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    static Path dir;
    static EmbeddedS3 s3;
    static ObjectStore storeA;
    static ObjectStore storeB;

    @BeforeAll
    static void start() {
        s3 = EmbeddedS3.start(dir);
        S3Settings settings = new S3Settings(s3.endpoint(), s3.accessKey(), s3.secretKey(), "promoter-test", "us-east-1");
        storeA = ObjectStore.connect(settings, RetryPolicy.standard());
        storeA.ensureBucket();
        storeB = ObjectStore.connect(settings, RetryPolicy.standard());
    }

    @AfterAll
    static void stop() {
        storeA.close();
        storeB.close();
        s3.close();
    }

    @Test
    void givenTheBetterOnePromotedFirst_whenTheWorseOnePromotes_thenBestStaysAndItsVerdictSaysWhy() {
        String run = "run-better-first";
        BestModelStore a = new BestModelStore(storeA);
        a.replace(pointer(run, 5, 0.50));
        Promoter evaluatorA = new Promoter(a, new PromotionGate(0, 0), CLOCK);
        Promoter evaluatorB = new Promoter(new BestModelStore(storeB), new PromotionGate(0, 0), CLOCK);

        Promoter.Outcome first = evaluatorA.promote(checkpoint(run, 10), evaluation(run, 10, 0.80));
        Promoter.Outcome second = evaluatorB.promote(checkpoint(run, 20), evaluation(run, 20, 0.70));

        assertThat(first.promotion()).hasValueSatisfying(p -> assertThat(p.previousAccuracy()).isEqualTo(0.50));
        assertThat(second.promotion()).as("the worse checkpoint must not replace the better one").isEmpty();
        assertThat(second.evaluation().gate().promoted()).isFalse();
        assertThat(second.evaluation().gate().reason()).contains(uri(run, 10)).contains("became the run's best");
        assertThat(a.current(run)).hasValueSatisfying(p -> assertThat(p.step()).isEqualTo(10));
    }

    @Test
    void givenTheWorseOnePromotedFirst_whenTheBetterOnePromotes_thenItReplacesIt() {
        String run = "run-worse-first";
        BestModelStore a = new BestModelStore(storeA);
        a.replace(pointer(run, 5, 0.50));
        Promoter evaluatorA = new Promoter(a, new PromotionGate(0, 0), CLOCK);
        Promoter evaluatorB = new Promoter(new BestModelStore(storeB), new PromotionGate(0, 0), CLOCK);

        evaluatorB.promote(checkpoint(run, 20), evaluation(run, 20, 0.70));
        Promoter.Outcome better = evaluatorA.promote(checkpoint(run, 10), evaluation(run, 10, 0.80));

        assertThat(better.promotion()).hasValueSatisfying(p -> {
            assertThat(p.previousCheckpointUri()).isEqualTo(uri(run, 20));
            assertThat(p.previousAccuracy()).isEqualTo(0.70);
        });
        assertThat(a.current(run)).hasValueSatisfying(p -> assertThat(p.step()).isEqualTo(10));
    }

    @Test
    void givenAPromotionRedelivered_whenPromotedAgain_thenAnnouncedAgainWithThePointerUnchanged() {
        String run = "run-redelivered";
        BestModelStore a = new BestModelStore(storeA);
        Promoter evaluator = new Promoter(a, new PromotionGate(0, 0), CLOCK);

        Promoter.Outcome first = evaluator.promote(checkpoint(run, 10), evaluation(run, 10, 0.80));
        BestModelPointer after = a.current(run).orElseThrow();
        Promoter.Outcome again = evaluator.promote(checkpoint(run, 10), evaluation(run, 10, 0.80));

        assertThat(first.promotion()).isPresent();
        assertThat(first.promotion().get().previousCheckpointUri()).isNull();
        assertThat(again.promotion()).isPresent();
        assertThat(a.current(run)).contains(after);
    }

    private static String uri(String run, long step) {
        return "s3://promoter-test/runs/" + run + "/checkpoints/step-" + step + ".ckpt";
    }

    private static BestModelPointer pointer(String run, long step, double accuracy) {
        return new BestModelPointer(run, uri(run, step), SHA, step, 0, accuracy, 1.0, CLOCK.instant(), null, null, null);
    }

    private static CheckpointCreated checkpoint(String run, long step) {
        return new CheckpointCreated(run, uri(run, step), SHA, 1, step, 0, "d", "m", List.of(),
            new ModelSpec(0.25, 32, 1, "RELU", 2, 0), 1.0, 0.5, CLOCK.instant());
    }

    private static EvaluationCompleted evaluation(String run, long step, double accuracy) {
        return new EvaluationCompleted(run, uri(run, step), SHA, step, 0, accuracy, 0.5, List.of("a", "b"),
            List.of(accuracy, accuracy), List.of(List.of(8L, 2L), List.of(2L, 8L)), 20, 100, 200,
            new GateDecision(true, true, "accuracy improves on best 0.5000"), CLOCK.instant(), null);
    }
}
