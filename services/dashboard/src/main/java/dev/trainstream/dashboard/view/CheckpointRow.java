package dev.trainstream.dashboard.view;

import dev.trainstream.events.CheckpointCreated;
import java.time.Instant;

/**
 * A checkpoint in the run page's list, with its test accuracy once evaluated.
 *
 * @param step          training step
 * @param epoch         epoch
 * @param checkpointUri where it is stored
 * @param sha256        digest of the stored object
 * @param sizeBytes     object size
 * @param trainLoss     training loss when written
 * @param trainAccuracy training accuracy when written
 * @param createdAt     when written
 * @param testAccuracy  accuracy on the test split; null until evaluated
 * @param best          whether this is the run's best checkpoint
 */
public record CheckpointRow(long step, int epoch, String checkpointUri, String sha256, long sizeBytes, double trainLoss,
                            double trainAccuracy, Instant createdAt, Double testAccuracy, boolean best) {

    static CheckpointRow of(CheckpointCreated c, Double testAccuracy, boolean best) {
        return new CheckpointRow(c.step(), c.epoch(), c.checkpointUri(), c.sha256(), c.sizeBytes(), c.trainLoss(),
            c.trainAccuracy(), c.createdAt(), testAccuracy, best);
    }
}
