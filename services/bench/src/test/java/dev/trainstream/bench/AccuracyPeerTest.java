package dev.trainstream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainstream.engine.training.DecayPolicy;
import dev.trainstream.engine.training.TrainingConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The accuracy peer gets the recipe the DJL run resolved, and its result is read from the curve it writes. */
class AccuracyPeerTest {
    @TempDir
    Path dir;

    @Test
    void givenAResolvedRecipe_whenBuildingThePeerCommand_thenEveryRecipeValueIsPassedOn() {
        TrainingConfig config = TrainingConfig.builder().optBatchSize(64).setTotalSteps(15 * 781).optSeed(7)
            .optLearningRate(0.05).optWarmupSteps(1562).optWeightDecay(1e-4).optDecayPolicy(DecayPolicy.PAPER)
            .optLabelSmoothing(0.2).build();

        List<String> command = new AccuracyPeer("/usr/bin/python3", Path.of("bench/pytorch_accuracy.py"))
            .command(config, Path.of("data.tar.gz"), 15, 781, Integer.MAX_VALUE, 2, Path.of("out/pytorch"));

        assertThat(String.join(" ", command)).isEqualTo("/usr/bin/python3 bench/pytorch_accuracy.py"
            + " --data data.tar.gz --epochs 15 --threads 2 --out out/pytorch --batch 64 --seed 7 --lr 0.05"
            + " --warmup-epochs 2.0 --weight-decay 1.0E-4 --decay-policy paper --label-smoothing 0.2");
    }

    @Test
    void givenAStepLimit_whenBuildingThePeerCommand_thenThePeerIsLimitedToo() {
        TrainingConfig config = TrainingConfig.builder().setTotalSteps(6).build();
        List<String> command = new AccuracyPeer("python3", Path.of("peer.py"))
            .command(config, Path.of("d"), 2, 3, 3, 1, Path.of("o"));
        assertThat(command).containsSubsequence("--max-steps", "3");
    }

    @Test
    void givenAPeerCurve_whenReadingTheResult_thenTheLastEpochsTestAccuracyComesBackAndJunkIsRejected()
        throws IOException {
        Path csv = dir.resolve("curve.csv");
        Files.writeString(csv, "epoch,train_loss,train_accuracy,test_loss,test_accuracy,seconds,rss_mb\n"
            + "1,2.0,0.30,1.9,0.4100,60.0,900\n2,1.5,0.50,1.4,0.5525,61.0,910\n");
        assertThat(AccuracyPeer.finalTestAccuracy(csv)).isEqualTo(0.5525);

        Files.writeString(csv, "epoch,train_loss,train_accuracy,test_loss,test_accuracy,seconds,rss_mb\n");
        assertThatThrownBy(() -> AccuracyPeer.finalTestAccuracy(csv)).isInstanceOf(IOException.class)
            .hasMessageContaining("no epoch rows");
        Files.writeString(csv, "epoch,test_accuracy\n1,n/a\n");
        assertThatThrownBy(() -> AccuracyPeer.finalTestAccuracy(csv)).isInstanceOf(IOException.class)
            .hasMessageContaining("not a number");
    }
}
