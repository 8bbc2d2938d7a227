package dev.trainstream.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trainstream.events.CheckpointCreated;
import dev.trainstream.events.RunLifecycle;
import dev.trainstream.events.RunPhase;
import dev.trainstream.events.topics.Topics;
import dev.trainstream.storage.ObjectStore;
import dev.trainstream.storage.ObjectUri;
import dev.trainstream.storage.Sha256;
import dev.trainstream.storage.checkpoint.CheckpointArchive;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The trainer rides out infrastructure outages mid-run: S3 gone for a while (checkpoint writes retried with backoff)
 * and a broker restart (clients reconnect); either way the run finishes with every batch trained exactly once and
 * every checkpoint announced once, with the bytes it announced. 2 epochs of 6 steps, checkpoints at 4, 6, 8, 12.
 */
@ExtendWith(SharedTestBed.class)
class OutageTest {
    private static final long FINAL_STEP = 2L * TrainerTestBed.STEPS_PER_EPOCH;
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(2);

    static TrainerTestBed bed;
    static String datasetId;

    @BeforeAll
    static void ingest(TrainerTestBed shared) throws Exception {
        bed = shared;
        datasetId = bed.ingest(41, 2).datasetId();
    }

    @Test
    void givenS3DownWhileTheRunReachesACheckpoint_whenS3ReturnsSecondsLater_thenTheWriteIsRetriedAndTheRunFinishesExactly()
        throws Exception {
        String runId = "s3-outage";
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        CompletableFuture<TrainerSummary> run = trainInBackground(runId, registry);
        try {
            await().atMost(RUN_TIMEOUT).until(() -> steps(registry, runId) >= 1);
            bed.infra().s3().stop();
            // The step-4 checkpoint cannot be written while S3 is down: the run holds there, retrying.
            await().atMost(RUN_TIMEOUT).until(() -> steps(registry, runId) >= 4);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                .until(() -> checkpointEvents(runId).isEmpty());
        } finally {
            bed.infra().s3().start();
        }

        TrainerSummary summary = run.get(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);

        thenFinishedExactly(runId, summary);
    }

    @Test
    void givenTheBrokerRestartedMidRun_whenItIsBack_thenTheRunFinishesWithExactCounts() throws Exception {
        String runId = "broker-restart";
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        CompletableFuture<TrainerSummary> run = trainInBackground(runId, registry);
        await().atMost(RUN_TIMEOUT).until(() -> steps(registry, runId) >= 2);

        bed.infra().kafka().restart();

        TrainerSummary summary = run.get(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        thenFinishedExactly(runId, summary);
    }

    private static void thenFinishedExactly(String runId, TrainerSummary summary) {
        assertThat(summary.steps()).isEqualTo(FINAL_STEP);
        assertThat(summary.epochs()).isEqualTo(2);
        assertThat(summary.deadLettered()).isZero();
        CheckpointArchive.Metadata last = bed.checkpoint(runId, FINAL_STEP).metadata();
        assertThat(last.batchesConsumed()).as("every batch reference consumed once").isEqualTo(FINAL_STEP);
        assertThat(last.epoch()).isEqualTo(2);
        List<CheckpointCreated> created = checkpointEvents(runId);
        assertThat(created).extracting(CheckpointCreated::step).containsExactly(4L, 6L, 8L, FINAL_STEP);
        try (ObjectStore objects = bed.objects()) {
            assertThat(created).allSatisfy(c -> assertThat(
                Sha256.hex(objects.get(ObjectUri.parse(c.checkpointUri()).key()))).isEqualTo(c.sha256()));
        }
        List<RunLifecycle> lifecycle = bed.events(Topics.RUNS).stream().filter(r -> r.runId().equals(runId)).toList();
        assertThat(lifecycle).extracting(RunLifecycle::phase).containsExactly(RunPhase.STARTED, RunPhase.FINISHED);
        assertThat(lifecycle.get(0).provenance()).as("the run records which build trained it, on what data")
            .containsEntry("trainstream.version", System.getProperty("trainstream.project.version"))
            .containsEntry("dataset.id", datasetId)
            .as("and every training setting under its flag name").containsEntry("setting.train-seed", "7")
            .containsEntry("setting.width-multiplier", "0.25").containsEntry("setting.device", "cpu")
            .containsEntry("setting.learning-rate", "0.05").doesNotContainKey("setting.weight-decay");
    }

    private static CompletableFuture<TrainerSummary> trainInBackground(String runId, SimpleMeterRegistry registry) {
        RunSettings settings = bed.settings(runId, datasetId);
        settings.checkpointEverySteps = 4;
        settings.keepCheckpoints = 4;
        return CompletableFuture.supplyAsync(() -> {
            try {
                return bed.train(settings, registry);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        });
    }

    private static double steps(SimpleMeterRegistry registry, String runId) {
        return registry.find("trainstream_trainer_steps").tag("run", runId).counters().stream()
            .mapToDouble(c -> c.count()).sum();
    }

    private static List<CheckpointCreated> checkpointEvents(String runId) {
        return bed.events(Topics.CHECKPOINTS).stream().filter(c -> c.runId().equals(runId)).toList();
    }
}
