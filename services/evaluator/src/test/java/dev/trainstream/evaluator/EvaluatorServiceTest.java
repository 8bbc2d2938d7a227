package dev.trainstream.evaluator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.trainstream.engine.evaluation.EvaluationReport;
import dev.trainstream.engine.evaluation.TestTimeAugmentation;
import dev.trainstream.engine.model.ModelOptions;
import dev.trainstream.engine.training.DeviceChoice;
import dev.trainstream.events.CheckpointCreated;
import dev.trainstream.events.DeadLetter;
import dev.trainstream.events.EvaluationCompleted;
import dev.trainstream.events.EvaluationFailed;
import dev.trainstream.events.EvaluationOutcome;
import dev.trainstream.events.ModelPromoted;
import dev.trainstream.events.codec.EventCodec;
import dev.trainstream.events.produce.EventPublisher;
import dev.trainstream.events.topics.TopicAdmin;
import dev.trainstream.events.topics.Topics;
import dev.trainstream.infra.LocalInfrastructure;
import dev.trainstream.storage.ObjectStore;
import dev.trainstream.storage.ObjectUri;
import dev.trainstream.storage.RetryPolicy;
import dev.trainstream.storage.S3Settings;
import dev.trainstream.storage.Sha256;
import dev.trainstream.storage.checkpoint.BestModelPointer;
import dev.trainstream.storage.checkpoint.BestModelStore;
import dev.trainstream.storage.checkpoint.CheckpointLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evaluator against a real Kafka broker and a real S3 server, with real checkpoints of a tiny MobileNetV1. Each
 * test uses its own runs and its own consumer group, placed at the end of the checkpoint topic before it publishes,
 * so it sees exactly its own checkpoints.
 */
class EvaluatorServiceTest {
    private static final String BUCKET = "trainstream";
    private static final Duration DEADLINE = Duration.ofSeconds(90);

    @TempDir
    static Path workDir;
    private static LocalInfrastructure infra;
    private static ObjectStore objects;
    private static EventPublisher publisher;
    private static KafkaTopics kafka;
    private static TrainedCheckpoints checkpoints;
    private static byte[] untrained;
    private static byte[] trained;
    private static final EventCodec CODEC = EventCodec.create("/test/trainer");

    @BeforeAll
    static void startInfrastructureAndTrain() {
        infra = LocalInfrastructure.start(workDir);
        objects = ObjectStore.connect(s3(), RetryPolicy.none());
        objects.ensureBucket();
        TopicAdmin.ensureTopics(infra.kafka().bootstrapServers(), Topics.all(), (short) 1);
        publisher = EventPublisher.create(infra.kafka().bootstrapServers(), CODEC, "test-trainer");
        kafka = new KafkaTopics(infra.kafka().bootstrapServers());
        checkpoints = new TrainedCheckpoints(objects);
        untrained = checkpoints.untrainedState();
        trained = checkpoints.trainedState();
    }

    @AfterAll
    static void stopInfrastructure() {
        if (publisher != null) {
            publisher.close();
        }
        if (objects != null) {
            objects.close();
        }
        if (infra != null) {
            infra.close();
        }
    }

    @Test
    void givenThreeCheckpointEvents_whenEvaluated_thenThreeEvaluationsMatchTheEngineAndTheStoredResultEqualsTheEvent()
        throws Exception {
        String run = newRun();
        String group = groupAtEnd();
        Map<Long, byte[]> states = Map.of(10L, untrained, 20L, trained, 30L, trained);
        List<CheckpointCreated> events = List.of(checkpoints.store(run, 10, untrained),
            checkpoints.store(run, 20, trained), checkpoints.store(run, 30, trained));

        try (RunningEvaluator evaluator = RunningEvaluator.start(config(group, 0.0, 0.0, 0))) {
            events.forEach(e -> publisher.publish(Topics.CHECKPOINTS, e));
            await().atMost(DEADLINE).until(() -> kafka.committedToEnd(group, Topics.CHECKPOINTS));

            assertThat(evaluator.counter(EvaluatorMeters.EVALUATIONS, "outcome", "completed")).isEqualTo(3);
            assertThat(evaluator.timed()).isEqualTo(3);
            assertThat(evaluator.lag()).isZero();
        }
        List<EvaluationCompleted> published = completed(run);
        assertThat(published).extracting(EvaluationCompleted::step).containsExactly(10L, 20L, 30L);
        for (EvaluationCompleted evaluation : published) {
            EvaluationReport reference = checkpoints.directScore(states.get(evaluation.step()));
            CheckpointCreated event = events.get((int) (evaluation.step() / 10 - 1));
            assertThat(evaluation.checkpointUri()).isEqualTo(event.checkpointUri());
            assertThat(evaluation.checkpointSha256()).isEqualTo(event.sha256());
            assertThat(evaluation.examples()).isEqualTo(TrainedCheckpoints.TEST_IMAGES).isEqualTo(reference.examples());
            assertThat(evaluation.accuracy()).isEqualTo(reference.accuracy());
            assertThat(evaluation.meanLoss()).isCloseTo(reference.meanLoss(), within(1e-5));
            assertThat(evaluation.confusionMatrix()).isEqualTo(Arrays.stream(reference.confusion())
                .map(row -> Arrays.stream(row).boxed().toList()).toList());
            assertThat(evaluation.classes()).isEqualTo(checkpoints.classes());
            assertThat(evaluation.imagesPerSecond()).isPositive();
            EvaluationCompleted stored = CODEC.fromJson(objects.get(resultKey(evaluation.checkpointUri())),
                EvaluationCompleted.class);
            assertThat(stored).isEqualTo(evaluation);
        }
        assertThat(published.get(2).accuracy()).as("training learns the synthetic shapes")
            .isGreaterThan(published.get(0).accuracy() + 0.1);
    }

    @Test
    void givenScoredCheckpoints_whenTheirEventsAreRedeliveredOrReadByANewGroup_thenNothingIsScoredOrAnnouncedTwice()
        throws Exception {
        String run = newRun();
        String firstGroup = groupAtEnd();
        Map<TopicPartition, Long> beforeRun = kafka.endOffsets(Topics.CHECKPOINTS);
        List<CheckpointCreated> events = List.of(checkpoints.store(run, 5, untrained), checkpoints.store(run, 6, trained));
        try (RunningEvaluator evaluator = RunningEvaluator.start(config(firstGroup, 0.0, 0.0, 0))) {
            events.forEach(e -> publisher.publish(Topics.CHECKPOINTS, e));
            await().atMost(DEADLINE).until(() -> kafka.committedToEnd(firstGroup, Topics.CHECKPOINTS));

            events.forEach(e -> publisher.publish(Topics.CHECKPOINTS, e));
            await().atMost(DEADLINE).until(() -> kafka.committedToEnd(firstGroup, Topics.CHECKPOINTS));

            assertThat(evaluator.counter(EvaluatorMeters.EVALUATIONS, "outcome", "completed")).isEqualTo(2);
            assertThat(evaluator.counter(EvaluatorMeters.SKIPPED, "reason", "already_scored")).isEqualTo(2);
        }
        String secondGroup = "evaluator-" + UUID.randomUUID();
        kafka.placeGroup(secondGroup, beforeRun);
        try (RunningEvaluator rebalanced = RunningEvaluator.start(config(secondGroup, 0.0, 0.0, 0))) {
            await().atMost(DEADLINE).until(() -> kafka.committedToEnd(secondGroup, Topics.CHECKPOINTS));

            assertThat(rebalanced.counter(EvaluatorMeters.SKIPPED, "reason", "already_scored")).isEqualTo(4);
            assertThat(rebalanced.heard(run)).isEmpty();

            objects.delete(resultKey(events.get(0).checkpointUri()));
            publisher.publish(Topics.CHECKPOINTS, events.get(0));
            await().atMost(DEADLINE).until(() -> kafka.committedToEnd(secondGroup, Topics.CHECKPOINTS));

            assertThat(rebalanced.counter(EvaluatorMeters.EVALUATIONS, "outcome", "completed")).isEqualTo(1);
        }
        assertThat(completed(run)).extracting(EvaluationCompleted::step)
            .as("one event per checkpoint, plus one re-emitted for the checkpoint whose result was missing")
            .containsExactly(5L, 6L, 5L);
        assertThat(objects.exists(resultKey(events.get(0).checkpointUri()))).isTrue();
    }

    @Test
    void givenMissingCorruptAndIncompatibleCheckpoints_whenEvaluated_thenEachFailsWithItsReasonAndALaterGoodOneIsScored()
        throws Exception {
        String run = newRun();
        String group = groupAtEnd();
        CheckpointCreated missing = checkpoints.event(run, 1, objects.uri(CheckpointLayout.checkpointKey(run, 1))
            .toString(), Sha256.hex(new byte[] {1}), 1);
        CheckpointCreated stored = checkpoints.store(run, 2, trained);
        CheckpointCreated corrupt = checkpoints.event(run, 2, stored.checkpointUri(), Sha256.hex(new byte[] {2}),
            stored.sizeBytes());
        byte[] fiveClasses = TrainedCheckpoints.initialState(ModelOptions.builder().optWidthMultiplier(0.25)
            .optNumClasses(5).build());
        CheckpointCreated incompatible = checkpoints.store(run, 3, fiveClasses);
        CheckpointCreated good = checkpoints.store(run, 4, trained);

        try (RunningEvaluator evaluator = RunningEvaluator.start(config(group, 0.0, 0.0, 0))) {
            List.of(missing, corrupt, incompatible, good).forEach(e -> publisher.publish(Topics.CHECKPOINTS, e));
            await().atMost(DEADLINE).until(() -> kafka.committedToEnd(group, Topics.CHECKPOINTS));

            assertThat(evaluator.counter(EvaluatorMeters.EVALUATIONS, "outcome", "failed")).isEqualTo(3);
            assertThat(evaluator.counter(EvaluatorMeters.EVALUATIONS, "outcome", "completed")).isEqualTo(1);
        }
        List<EvaluationOutcome> outcomes = outcomes(run);
        List<EvaluationFailed> failed = outcomes.stream().filter(EvaluationFailed.class::isInstance)
            .map(EvaluationFailed.class::cast).toList();
        assertThat(failed).extracting(EvaluationFailed::step).containsExactly(1L, 2L, 3L);
        assertThat(failed.get(0).reason()).contains("not found").contains(missing.checkpointUri());
        assertThat(failed.get(1).reason()).contains("sha256 mismatch");
        assertThat(failed.get(2).reason()).contains("incompatible").contains("5 classes");
        assertThat(completed(run)).extracting(EvaluationCompleted::step).containsExactly(4L);
        List<DeadLetter> letters = kafka.readAll(Topics.DEAD_LETTERS).stream().filter(d -> run.equals(d.key())).toList();
        assertThat(letters).extracting(DeadLetter::reason)
            .containsExactlyElementsOf(failed.stream().map(EvaluationFailed::reason).toList());
        assertThat(letters).allSatisfy(d -> {
            assertThat(d.sourceTopic()).isEqualTo(Topics.CHECKPOINTS.name());
            assertThat(d.service()).isEqualTo("evaluator");
        });
        assertThat(objects.exists(resultKey(incompatible.checkpointUri()))).isFalse();
    }

    @Test
    void givenAnEngineThatFailsOnEveryAttempt_whenAGoodCheckpointArrives_thenTheEvaluatorStopsUncommittedAndALaterOneScoresIt()
        throws Exception {
        String run = newRun();
        String group = groupAtEnd();
        CheckpointCreated good = checkpoints.store(run, 1, trained);
        // Asking for a GPU on this CPU host makes the engine throw on every attempt, as a lost device would.
        EvaluatorConfig onMissingGpu = new EvaluatorConfig(64, 2, DeviceChoice.gpus(0), 0.0, 0.0, group,
            infra.kafka().bootstrapServers(), (short) 1, s3(), 0);
        RunningEvaluator broken = RunningEvaluator.start(onMissingGpu);
        publisher.publish(Topics.CHECKPOINTS, good);

        Throwable failure = broken.awaitFailure(DEADLINE);

        assertThat(failure).isInstanceOf(ScoringUnavailableException.class)
            .hasMessageContaining(good.checkpointUri()).hasMessageContaining("uncommitted")
            .hasMessageContaining("after " + EngineRetry.ATTEMPTS + " attempt(s)").hasMessageContaining("GPU");
        assertThat(kafka.committedToEnd(group, Topics.CHECKPOINTS)).as("the checkpoint stays to be scored").isFalse();
        assertThat(outcomes(run)).as("no evaluation-failed for a good checkpoint").isEmpty();
        assertThat(kafka.readAll(Topics.DEAD_LETTERS)).noneMatch(d -> run.equals(d.key()));
        assertThat(objects.exists(resultKey(good.checkpointUri()))).isFalse();

        try (RunningEvaluator restarted = RunningEvaluator.start(config(group, 0.0, 0.0, 0))) {
            await().atMost(DEADLINE).until(() -> kafka.committedToEnd(group, Topics.CHECKPOINTS));
        }
        assertThat(completed(run)).extracting(EvaluationCompleted::step).containsExactly(1L);
    }

    @Test
    void givenACheckpointOfANewerFormat_whenItArrives_thenTheEvaluatorStopsAtOnceUncommittedAndReportsNoFailure()
        throws Exception {
        String run = newRun();
        String group = groupAtEnd();
        CheckpointCreated newer = checkpoints.store(run, 1, engineStateOfVersion(99));
        RunningEvaluator evaluator = RunningEvaluator.start(config(group, 0.0, 0.0, 0));
        publisher.publish(Topics.CHECKPOINTS, newer);

        Throwable failure = evaluator.awaitFailure(DEADLINE);

        assertThat(failure).isInstanceOf(ScoringUnavailableException.class)
            .hasMessageContaining(newer.checkpointUri()).hasMessageContaining("uncommitted")
            .hasMessageContaining("after 1 attempt(s)").hasMessageContaining("newer than this build reads");
        assertThat(kafka.committedToEnd(group, Topics.CHECKPOINTS)).as("left for an upgraded evaluator").isFalse();
        assertThat(outcomes(run)).as("a newer checkpoint is not a failed one").isEmpty();
        assertThat(kafka.readAll(Topics.DEAD_LETTERS)).noneMatch(d -> run.equals(d.key()));
        assertThat(objects.exists(resultKey(newer.checkpointUri()))).isFalse();
    }

    /** Engine state as a later build would write it: the entries this build expects, of another format version. */
    private static byte[] engineStateOfVersion(int version) throws java.io.IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(out)) {
            for (String name : List.of("state.json", "parameters.bin", "optimizer.bin")) {
                zip.putNextEntry(new java.util.zip.ZipEntry(name));
                zip.write(("{\"formatVersion\": " + version + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    @Test
    void givenHandMadeEventsNamingObjectsThatAreNotTheRunsCheckpoints_whenEvaluated_thenTheyFailAndNothingIsOverwritten()
        throws Exception {
        String run = newRun();
        String group = groupAtEnd();
        CheckpointCreated stored = checkpoints.store(run, 1, trained);
        byte[] archive = objects.get(ObjectUri.parse(stored.checkpointUri()).key());
        // A valid checkpoint under a key that does not end in .ckpt: scoring it works, so the result would be written
        // "beside" it, i.e. over it.
        String copyKey = "runs/" + run + "/checkpoints/handmade-copy.zip";
        objects.put(copyKey, archive, "application/zip");
        CheckpointCreated copy = checkpoints.event(run, 2, objects.uri(copyKey).toString(), stored.sha256(),
            stored.sizeBytes());
        String otherRun = newRun();
        CheckpointCreated foreign = checkpoints.event(otherRun, 3, stored.checkpointUri(), stored.sha256(),
            stored.sizeBytes());

        try (RunningEvaluator evaluator = RunningEvaluator.start(config(group, 0.0, 0.0, 0))) {
            List.of(copy, foreign).forEach(e -> publisher.publish(Topics.CHECKPOINTS, e));
            await().atMost(DEADLINE).until(() -> kafka.committedToEnd(group, Topics.CHECKPOINTS));
        }
        assertThat(objects.get(copyKey)).as("hand-made checkpoint object untouched").isEqualTo(archive);
        assertThat(objects.exists(resultKey(stored.checkpointUri()))).as("no result for the foreign run's event")
            .isFalse();
        EvaluationFailed copyFailed = outcomes(run).stream().filter(EvaluationFailed.class::isInstance)
            .map(EvaluationFailed.class::cast).findFirst().orElseThrow();
        assertThat(copyFailed.reason()).contains("not a checkpoint key", copyKey);
        EvaluationFailed foreignFailed = outcomes(otherRun).stream().filter(EvaluationFailed.class::isInstance)
            .map(EvaluationFailed.class::cast).findFirst().orElseThrow();
        assertThat(foreignFailed.reason()).contains("belongs to run " + run, "not to run " + otherRun);
    }

    @Test
    void givenRisingThenEqualAccuracy_whenEvaluated_thenFirstAndBetterArePromotedInOrderAndBestPointsToTheBetter()
        throws Exception {
        String run = newRun();
        String group = groupAtEnd();
        CheckpointCreated first = checkpoints.store(run, 100, untrained);
        CheckpointCreated better = checkpoints.store(run, 200, trained);
        CheckpointCreated same = checkpoints.store(run, 300, trained);

        try (RunningEvaluator evaluator = RunningEvaluator.start(config(group, 0.0, 0.0, 0))) {
            List.of(first, better, same).forEach(e -> publisher.publish(Topics.CHECKPOINTS, e));
            await().atMost(DEADLINE).until(() -> kafka.committedToEnd(group, Topics.CHECKPOINTS));

            assertThat(evaluator.counter(EvaluatorMeters.PROMOTIONS)).isEqualTo(2);
            assertThat(evaluator.heard(run)).extracting(o -> o.getClass().getSimpleName() + "@" + o.step())
                .as("listener order").containsExactly("EvaluationCompleted@100", "ModelPromoted@100",
                    "EvaluationCompleted@200", "ModelPromoted@200", "EvaluationCompleted@300");
        }
        List<EvaluationOutcome> outcomes = outcomes(run);
        assertThat(outcomes).extracting(o -> o.getClass().getSimpleName() + "@" + o.step())
            .as("topic order").containsExactly("EvaluationCompleted@100", "ModelPromoted@100",
                "EvaluationCompleted@200", "ModelPromoted@200", "EvaluationCompleted@300");
        List<EvaluationCompleted> completed = completed(run);
        assertThat(completed.get(1).accuracy()).as("precondition: training helped")
            .isGreaterThan(completed.get(0).accuracy());
        assertThat(completed.get(0).gate().promoted()).isTrue();
        assertThat(completed.get(0).gate().reason()).contains("first evaluated checkpoint");
        assertThat(completed.get(1).gate().promoted()).isTrue();
        assertThat(completed.get(2).gate()).satisfies(g -> {
            assertThat(g.passed()).isTrue();
            assertThat(g.promoted()).isFalse();
            assertThat(g.reason()).contains("does not improve");
        });
        List<ModelPromoted> promotions = outcomes.stream().filter(ModelPromoted.class::isInstance)
            .map(ModelPromoted.class::cast).toList();
        assertThat(promotions.get(0).replacesEarlierBest()).isFalse();
        assertThat(promotions.get(1).previousCheckpointUri()).isEqualTo(first.checkpointUri());
        assertThat(promotions.get(1).previousAccuracy()).isEqualTo(completed.get(0).accuracy());
        assertThat(promotions.get(1).bestPointerUri()).isEqualTo(objects.uri(CheckpointLayout.bestPointerKey(run))
            .toString());
        BestModelPointer best = new BestModelStore(objects).current(run).orElseThrow();
        assertThat(best.checkpointUri()).isEqualTo(better.checkpointUri());
        assertThat(best.sha256()).isEqualTo(better.sha256());
        assertThat(best.step()).isEqualTo(200);
        assertThat(best.accuracy()).isEqualTo(completed.get(1).accuracy());
    }

    @Test
    void givenTwoEvaluatorsOfTwoGroupsScoringOneRun_whenBothPromote_thenEveryPromotionImprovesAndBestIsTheBetter()
        throws Exception {
        String run = newRun();
        String groupA = groupAtEnd();
        String groupB = groupAtEnd();
        CheckpointCreated worse = checkpoints.store(run, 100, untrained);
        CheckpointCreated better = checkpoints.store(run, 200, trained);

        try (RunningEvaluator a = RunningEvaluator.start(config(groupA, 0.0, 0.0, 0));
             RunningEvaluator b = RunningEvaluator.start(config(groupB, 0.0, 0.0, 0))) {
            List.of(worse, better).forEach(e -> publisher.publish(Topics.CHECKPOINTS, e));
            await().atMost(DEADLINE).until(() -> kafka.committedToEnd(groupA, Topics.CHECKPOINTS)
                && kafka.committedToEnd(groupB, Topics.CHECKPOINTS));
        }

        assertThat(new BestModelStore(objects).current(run)).hasValueSatisfying(best ->
            assertThat(best.checkpointUri()).isEqualTo(better.checkpointUri()));
        List<ModelPromoted> promotions = outcomes(run).stream().filter(ModelPromoted.class::isInstance)
            .map(ModelPromoted.class::cast).toList();
        assertThat(promotions).isNotEmpty().allSatisfy(p -> {
            if (p.previousAccuracy() != null && !p.previousCheckpointUri().equals(p.checkpointUri())) {
                assertThat(p.accuracy()).as("no promotion moves the best to a worse checkpoint")
                    .isGreaterThan(p.previousAccuracy());
            }
        });
        assertThat(outcomes(run)).noneMatch(EvaluationFailed.class::isInstance);
    }

    @Test
    void givenASecondInstanceJoiningTheGroupMidBacklog_whenBothWork_thenEveryCheckpointIsScoredAndEachBestIsRight()
        throws Exception {
        String group = groupAtEnd();
        List<String> runs = List.of(newRun(), newRun(), newRun());
        List<CheckpointCreated> events = new java.util.ArrayList<>();
        for (String run : runs) {
            events.add(checkpoints.store(run, 100, untrained));
            events.add(checkpoints.store(run, 200, trained));
            events.add(checkpoints.store(run, 300, untrained));
        }

        try (RunningEvaluator first = RunningEvaluator.start(config(group, 0.0, 0.0, 0))) {
            events.forEach(e -> publisher.publish(Topics.CHECKPOINTS, e));
            try (RunningEvaluator joining = RunningEvaluator.start(config(group, 0.0, 0.0, 0))) {
                await().atMost(DEADLINE.multipliedBy(2)).until(() -> kafka.committedToEnd(group, Topics.CHECKPOINTS));
            }
        }

        for (String run : runs) {
            assertThat(completed(run)).extracting(EvaluationCompleted::step).as("run %s", run)
                .contains(100L, 200L, 300L);
            assertThat(outcomes(run)).noneMatch(EvaluationFailed.class::isInstance);
            assertThat(new BestModelStore(objects).current(run)).hasValueSatisfying(best ->
                assertThat(best.step()).as("the trained checkpoint is the best of run %s", run).isEqualTo(200));
        }
    }

    @Test
    void givenFlipScoring_whenEvaluated_thenEventsAndBestPointerRecordItAndAModeChangeIsNamedInTheVerdict()
        throws Exception {
        String run = newRun();
        String group = groupAtEnd();
        CheckpointCreated plainScored = checkpoints.store(run, 10, untrained);
        CheckpointCreated flipScored = checkpoints.store(run, 20, trained);

        try (RunningEvaluator evaluator = RunningEvaluator.start(config(group, 0.0, 0.0, 0))) {
            publisher.publish(Topics.CHECKPOINTS, plainScored);
            await().atMost(DEADLINE).until(() -> kafka.committedToEnd(group, Topics.CHECKPOINTS));
        }
        scoreWithFlip(group, flipScored).close();
        List<EvaluationCompleted> completed = completed(run);
        assertThat(completed).extracting(EvaluationCompleted::testTimeAugmentation).containsExactly(null, "hflip");
        EvaluationCompleted flip = completed.get(1);
        EvaluationReport reference = checkpoints.directScore(trained, TestTimeAugmentation.HORIZONTAL_FLIP);
        EvaluationReport plainReference = checkpoints.directScore(trained);
        assertThat(flip.accuracy()).isEqualTo(reference.accuracy());
        assertThat(flip.meanLoss()).isCloseTo(reference.meanLoss(), within(1e-5))
            .as("flip scoring is not plain scoring").isNotCloseTo(plainReference.meanLoss(), within(1e-4));
        double untrainedFlipped = checkpoints.directScore(untrained, TestTimeAugmentation.HORIZONTAL_FLIP).accuracy();
        assertThat(flip.gate().reason()).as("compared with the old best re-scored the new way")
            .contains(String.format(Locale.ROOT, "on best %.4f", untrainedFlipped))
            .contains("best step 10 re-scored with hflip")
            .contains(String.format(Locale.ROOT, "recorded %.4f without test-time augmentation",
                completed.get(0).accuracy()));
        assertThat(completed.get(0).gate().reason()).doesNotContain("re-scored");
        BestModelPointer best = new BestModelStore(objects).current(run).orElseThrow();
        assertThat(best.checkpointUri()).isEqualTo(flipScored.checkpointUri());
        assertThat(best.testTimeAugmentation()).isEqualTo("hflip");
    }

    @Test
    void givenABestScoredPlainly_whenAFlipScoringEvaluatorScoresTheSameWeights_thenTheBestIsReScoredAndStaysBest()
        throws Exception {
        String run = newRun();
        String group = groupAtEnd();
        CheckpointCreated plainBest = checkpoints.store(run, 10, trained);
        CheckpointCreated sameWeights = checkpoints.store(run, 20, trained);
        // The pointer records a plain number below what flip scoring gives the same weights: compared as recorded,
        // the identical checkpoint would be promoted over it.
        recordPlainBest(plainBest, 0.0);

        try (RunningEvaluator evaluator = scoreWithFlip(group, sameWeights)) {
            assertThat(evaluator.counter(EvaluatorMeters.PROMOTIONS)).isZero();
        }
        EvaluationCompleted verdict = completed(run).get(0);
        assertThat(verdict.gate().promoted()).isFalse();
        assertThat(verdict.gate().reason())
            .contains(String.format(Locale.ROOT, "does not improve on best %.4f", verdict.accuracy()))
            .contains("best step 10 re-scored with hflip; recorded 0.0000 without test-time augmentation");
        assertThat(new BestModelStore(objects).current(run).orElseThrow().checkpointUri())
            .isEqualTo(plainBest.checkpointUri());
    }

    @Test
    void givenABestScoredPlainlyWhoseCheckpointIsGone_whenFlipScoring_thenTheVerdictSaysItCouldNotBeReScored()
        throws Exception {
        String run = newRun();
        String group = groupAtEnd();
        CheckpointCreated gone = checkpoints.store(run, 10, untrained);
        recordPlainBest(gone, 0.0);
        objects.delete(ObjectUri.parse(gone.checkpointUri()).key());

        scoreWithFlip(group, checkpoints.store(run, 20, trained)).close();
        EvaluationCompleted verdict = completed(run).get(0);
        assertThat(verdict.gate().promoted()).as("judged against the recorded number").isTrue();
        assertThat(verdict.gate().reason())
            .contains("against the best as recorded 0.0000 without test-time augmentation, this checkpoint with hflip")
            .contains("not like for like, the best could not be re-scored").contains(gone.checkpointUri());
    }

    @Test
    void givenABacklogBeyondTheCatchUpThreshold_whenEvaluatorStarts_thenOnlyTheNewestCheckpointOfEachRunIsScored()
        throws Exception {
        String runA = newRun();
        String runB = newRun();
        String group = groupAtEnd();
        List<CheckpointCreated> backlog = List.of(checkpoints.store(runA, 1, untrained),
            checkpoints.store(runB, 1, untrained), checkpoints.store(runA, 2, untrained),
            checkpoints.store(runA, 3, trained), checkpoints.store(runB, 2, trained));
        backlog.forEach(e -> publisher.publish(Topics.CHECKPOINTS, e));

        try (RunningEvaluator evaluator = RunningEvaluator.start(config(group, 0.0, 0.0, 2))) {
            await().atMost(DEADLINE).until(() -> kafka.committedToEnd(group, Topics.CHECKPOINTS));

            assertThat(evaluator.counter(EvaluatorMeters.SKIPPED, "reason", "catch_up")).isEqualTo(3);
            assertThat(evaluator.counter(EvaluatorMeters.EVALUATIONS, "outcome", "completed")).isEqualTo(2);
            assertThat(evaluator.lag()).isZero();
        }
        assertThat(completed(runA)).extracting(EvaluationCompleted::step).containsExactly(3L);
        assertThat(completed(runB)).extracting(EvaluationCompleted::step).containsExactly(2L);
        assertThat(objects.exists(resultKey(backlog.get(0).checkpointUri()))).isFalse();
    }

    @Test
    void givenASmallBacklogWithinTheThreshold_whenEvaluatorStarts_thenEveryCheckpointIsScoredInOrder()
        throws Exception {
        String run = newRun();
        String group = groupAtEnd();
        List<CheckpointCreated> backlog = List.of(checkpoints.store(run, 1, untrained),
            checkpoints.store(run, 2, trained));
        backlog.forEach(e -> publisher.publish(Topics.CHECKPOINTS, e));

        try (RunningEvaluator evaluator = RunningEvaluator.start(config(group, 0.0, 0.0, 2))) {
            await().atMost(DEADLINE).until(() -> kafka.committedToEnd(group, Topics.CHECKPOINTS));

            assertThat(evaluator.counter(EvaluatorMeters.SKIPPED, "reason", "catch_up")).isZero();
        }
        assertThat(completed(run)).extracting(EvaluationCompleted::step).containsExactly(1L, 2L);
    }

    private static EvaluatorConfig config(String group, double floor, double improvement, long catchUp) {
        return new EvaluatorConfig(64, 2, DeviceChoice.cpu(), floor, improvement, group,
            infra.kafka().bootstrapServers(), (short) 1, s3(), catchUp);
    }

    /**
     * Starts a flip-scoring evaluator in {@code group}, publishes {@code event} and waits until it is committed;
     * returns the still running evaluator for its meters (the caller closes it).
     */
    private static RunningEvaluator scoreWithFlip(String group, CheckpointCreated event) throws Exception {
        RunningEvaluator evaluator = RunningEvaluator.start(config(group, 0.0, 0.0, 0)
            .withTestTimeAugmentation(TestTimeAugmentation.HORIZONTAL_FLIP));
        try {
            publisher.publish(Topics.CHECKPOINTS, event);
            await().atMost(DEADLINE).until(() -> kafka.committedToEnd(group, Topics.CHECKPOINTS));
            return evaluator;
        } catch (RuntimeException | Error e) {
            evaluator.close();
            throw e;
        }
    }

    /** Writes a best pointer naming {@code checkpoint} with {@code accuracy} as if it had been scored plainly. */
    private static void recordPlainBest(CheckpointCreated checkpoint, double accuracy) {
        new BestModelStore(objects).replace(new BestModelPointer(checkpoint.runId(), checkpoint.checkpointUri(),
            checkpoint.sha256(), checkpoint.step(), checkpoint.epoch(), accuracy, 9.9, Instant.now(), null, null, null));
    }

    /** A fresh consumer group that will start at the current end of the checkpoint topic. */
    private static String groupAtEnd() throws Exception {
        String group = "evaluator-" + UUID.randomUUID();
        kafka.placeGroup(group, kafka.endOffsets(Topics.CHECKPOINTS));
        return group;
    }

    private static String newRun() {
        return "run-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static List<EvaluationOutcome> outcomes(String run) {
        return kafka.readAll(Topics.EVALUATIONS).stream().filter(o -> o.runId().equals(run)).toList();
    }

    private static List<EvaluationCompleted> completed(String run) {
        return outcomes(run).stream().filter(EvaluationCompleted.class::isInstance).map(EvaluationCompleted.class::cast)
            .toList();
    }

    private static String resultKey(String checkpointUri) {
        String key = ObjectUri.parse(checkpointUri).key();
        return CheckpointLayout.evaluationKey(key.split("/")[1], key);
    }

    private static S3Settings s3() {
        return new S3Settings(infra.s3().endpoint(), infra.s3().accessKey(), infra.s3().secretKey(), BUCKET,
            "us-east-1");
    }
}
