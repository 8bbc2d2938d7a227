package dev.trainstream.storage.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Keys built from event fields never leave their run's prefix, and results go only beside real checkpoint keys. */
class CheckpointLayoutTest {

    @Test
    void givenACheckpointKeyOfTheRun_whenAskedForItsResult_thenItIsTheEvalJsonBesideIt() {
        assertThat(CheckpointLayout.evaluationKey("run-a", CheckpointLayout.checkpointKey("run-a", 7)))
            .isEqualTo("runs/run-a/checkpoints/step-0000000007.eval.json");
    }

    @Test
    void givenKeysThatAreNotTheRunsCheckpoints_whenAskedForTheirResult_thenEachIsRefusedNamingTheKey() {
        for (String key : new String[] {"runs/run-a/checkpoints/model.zip", "datasets/x/manifest.json",
            "runs/run-a/checkpoints/step-7.ckpt", "runs/run-a/checkpoints/step-0000000007.ckpt.bak",
            "runs/run-a/../run-b/checkpoints/step-0000000007.ckpt"}) {
            assertThatThrownBy(() -> CheckpointLayout.evaluationKey("run-a", key))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(key);
        }
        assertThatThrownBy(() -> CheckpointLayout.evaluationKey("run-a", CheckpointLayout.checkpointKey("run-b", 7)))
            .hasMessageContaining("belongs to run run-b");
    }

    @Test
    void givenRunIdsThatCouldLeaveThePrefix_whenBuildingKeys_thenTheyAreRefused() {
        for (String runId : new String[] {"..", "a/b", "../x", "", " run", "run\u001b[2J", "x".repeat(101)}) {
            assertThatThrownBy(() -> CheckpointLayout.runPrefix(runId)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a valid run id");
            assertThatThrownBy(() -> CheckpointLayout.checkpointKey(runId, 1))
                .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(CheckpointLayout.runPrefix("run-2026.a_b")).isEqualTo("runs/run-2026.a_b/");
    }
}
