package dev.trainstream.trainer;

import dev.trainstream.events.RunLifecycle;
import dev.trainstream.events.RunPhase;
import dev.trainstream.events.codec.EventCodec;
import dev.trainstream.events.consume.TopicReader;
import dev.trainstream.events.topics.Topics;
import dev.trainstream.storage.checkpoint.CheckpointArchive;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a run already finished, from its durable state rather than from anything a process remembers: its newest
 * usable checkpoint holds every epoch the configuration asks for (the final checkpoint is written before FINISHED is
 * published), and whether its FINISHED event for that step is on the runs topic (absent when the life that wrote the
 * final checkpoint was killed before announcing it). A trainer started again for such a run trains nothing.
 */
final class FinishedRun {
    private static final Logger LOG = LoggerFactory.getLogger(FinishedRun.class);
    /** Bound of the read of the runs topic (a few events per run); past it the trainer fails and is restarted. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private FinishedRun() {
    }

    /** True when {@code checkpoint} ends the run as {@code config} asks for it (a larger epoch budget trains on). */
    static boolean endsRun(CheckpointArchive.Metadata checkpoint, TrainerConfig config) {
        return checkpoint.epoch() >= config.epochs();
    }

    /**
     * True when the runs topic holds a FINISHED event of {@code runId} at {@code step} or later (read committed,
     * from the beginning of the partitions to their end now; only records keyed by the run id are decoded).
     *
     * @throws IllegalStateException if the topic cannot be read to its end within {@link #READ_TIMEOUT}
     */
    static boolean announced(String bootstrap, EventCodec codec, String runId, long step) {
        AtomicBoolean found = new AtomicBoolean();
        try (TopicReader reader = TopicReader.open(bootstrap, "trainstream-trainer-" + runId + "-history", codec,
            READ_TIMEOUT)) {
            reader.replay(Topics.RUNS, TopicReader.End.LAST_STABLE, READ_TIMEOUT, runId::equals, received -> {
                RunLifecycle event = received.event();
                if (event.runId().equals(runId) && event.phase() == RunPhase.FINISHED && event.steps() >= step) {
                    found.set(true);
                }
            }, TopicReader.InvalidRecords.logged(LOG));
        }
        return found.get();
    }
}
