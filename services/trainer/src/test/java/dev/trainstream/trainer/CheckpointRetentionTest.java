package dev.trainstream.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainstream.infra.EmbeddedS3;
import dev.trainstream.storage.ObjectInfo;
import dev.trainstream.storage.ObjectStore;
import dev.trainstream.storage.RetryPolicy;
import dev.trainstream.storage.S3Settings;
import dev.trainstream.storage.checkpoint.BestModelPointer;
import dev.trainstream.storage.checkpoint.BestModelStore;
import dev.trainstream.storage.checkpoint.CheckpointLayout;
import dev.trainstream.storage.checkpoint.CheckpointStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention against a real S3 server and an evaluator acting at the worst moment: between retention's reads. The
 * evaluator's own order is replicated (best.json first, then the checkpoint's result).
 */
class CheckpointRetentionTest {
    @TempDir
    static Path workDir;
    private static EmbeddedS3 s3;
    private static ObjectStore objects;
    private static CheckpointStore store;

    @BeforeAll
    static void startS3() {
        s3 = EmbeddedS3.start(workDir.resolve("s3"));
        objects = ObjectStore.connect(new S3Settings(s3.endpoint(), s3.accessKey(), s3.secretKey(), "trainstream",
            "us-east-1"), RetryPolicy.none());
        objects.ensureBucket();
        store = new CheckpointStore(objects);
    }

    @AfterAll
    static void stopS3() {
        if (objects != null) {
            objects.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void givenAnEvaluatorPromotingRightAfterRetentionReadsTheBest_whenRetentionRuns_thenThePromotedCheckpointSurvives() {
        String run = "promotion-race";
        checkpoints(run, 4);
        evaluate(run, 1, true);
        BestModelStore pointers = new BestModelStore(objects);
        CheckpointRetention.BestCheckpoint readThenPromote = runId -> {
            Optional<String> read = pointers.current(runId).map(BestModelPointer::checkpointKey);
            evaluate(runId, 2, true);
            return read;
        };

        new CheckpointRetention(store, readThenPromote, Clock.systemUTC(), 1, Duration.ZERO)
            .apply(run, CheckpointLayout.checkpointKey(run, 4));

        assertThat(pointers.current(run)).map(BestModelPointer::step).contains(2L);
        assertThat(objects.exists(CheckpointLayout.checkpointKey(run, 2))).as("best.json names an existing checkpoint")
            .isTrue();

        new CheckpointRetention(store, Clock.systemUTC(), 1, Duration.ZERO)
            .apply(run, CheckpointLayout.checkpointKey(run, 4));

        assertThat(keys(run)).as("the next pass deletes the scored, superseded step 1 and holds unscored step 3")
            .containsExactly(key(run, 4), key(run, 3), key(run, 2));
    }

    @Test
    void givenNoEvaluationYet_whenRetentionRunsWithinAndAfterTheHold_thenCheckpointsAreHeldThenReleased() {
        String run = "first-evaluation-hold";
        checkpoints(run, 4);
        Duration hold = Duration.ofMinutes(30);

        new CheckpointRetention(store, Clock.systemUTC(), 1, hold).apply(run, key(run, 4));
        assertThat(keys(run)).containsExactly(key(run, 4), key(run, 3), key(run, 2), key(run, 1));

        Clock laterThanTheHold = Clock.offset(Clock.systemUTC(), hold.plusMinutes(1));
        new CheckpointRetention(store, laterThanTheHold, 1, hold).apply(run, key(run, 4));
        assertThat(keys(run)).as("nobody came to evaluate them: back to keep").containsExactly(key(run, 4));
    }

    @Test
    void givenAnEvaluatorThatScoredStepTwo_whenRetentionRunsLongAfterTheHold_thenNewerUnscoredOnesAreStillHeld() {
        String run = "evaluator-behind";
        checkpoints(run, 5);
        evaluate(run, 2, false);
        Clock muchLater = Clock.offset(Clock.systemUTC(), Duration.ofDays(2));

        new CheckpointRetention(store, muchLater, 1, Duration.ofMinutes(30)).apply(run, key(run, 5));

        assertThat(keys(run)).as("steps 3 and 4 wait for the evaluator; scored steps 1 and 2 go")
            .containsExactly(key(run, 5), key(run, 4), key(run, 3));
    }

    private static void checkpoints(String run, int count) {
        LongStream.rangeClosed(1, count).forEach(step -> store.put(run, step, ("state " + step)
            .getBytes(StandardCharsets.UTF_8)));
    }

    /** What the evaluator does once it has scored {@code step}: promote it (if it passed), then write its result. */
    private static void evaluate(String run, long step, boolean promote) {
        String key = key(run, step);
        if (promote) {
            new BestModelStore(objects).replace(new BestModelPointer(run, objects.uri(key).toString(), "00", step, 0,
                0.1 * step, 1.0, Instant.now(), null, null, null));
        }
        objects.put(CheckpointLayout.evaluationKey(run, key), "{}".getBytes(StandardCharsets.UTF_8),
            "application/json");
    }

    private static String key(String run, long step) {
        return CheckpointLayout.checkpointKey(run, step);
    }

    private static List<String> keys(String run) {
        return store.listNewestFirst(run).stream().map(ObjectInfo::key).toList();
    }
}
