package dev.trainstream.evaluator;

import dev.trainstream.events.CheckpointCreated;
import dev.trainstream.events.EvaluationCompleted;
import dev.trainstream.events.codec.EventCodec;
import dev.trainstream.events.codec.InvalidEventException;
import dev.trainstream.storage.ObjectNotFoundException;
import dev.trainstream.storage.ObjectStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The result object beside each checkpoint ({@code step-N.eval.json}), written after the evaluation and any promotion
 * were announced: its presence for the same checkpoint content proves that, so a re-delivered event is skipped.
 */
final class ResultObjects {
    private static final Logger LOG = LoggerFactory.getLogger(ResultObjects.class);

    private final ObjectStore objects;
    private final EventCodec codec;

    ResultObjects(ObjectStore objects, EventCodec codec) {
        this.objects = objects;
        this.codec = codec;
    }

    /** Whether a result for exactly this checkpoint content is stored (a result for other bytes is re-done). */
    boolean holds(String resultKey, CheckpointCreated event) {
        byte[] stored;
        try {
            stored = objects.get(resultKey);
        } catch (ObjectNotFoundException e) {
            return false;
        }
        try {
            EvaluationCompleted previous = codec.fromJson(stored, EvaluationCompleted.class);
            if (previous.checkpointSha256().equals(event.sha256())) {
                return true;
            }
            LOG.warn("result {} is for checkpoint content {} but the event announces {}; scoring again", resultKey,
                previous.checkpointSha256(), event.sha256());
            return false;
        } catch (InvalidEventException e) {
            LOG.warn("result {} is unreadable ({}); scoring again", resultKey, e.getMessage());
            return false;
        }
    }

    /** Writes the result: last, once everything it proves has been published. */
    void store(String resultKey, EvaluationCompleted result) {
        objects.put(resultKey, codec.toJson(result), "application/json");
    }
}
