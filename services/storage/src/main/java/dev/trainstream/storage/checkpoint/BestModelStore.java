package dev.trainstream.storage.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.trainstream.storage.ObjectNotFoundException;
import dev.trainstream.storage.ObjectStore;
import dev.trainstream.storage.ObjectUri;
import java.io.IOException;
import java.util.Optional;

/**
 * Reads and replaces a run's best-model pointer, the one reader of {@code best.json} for every service: the evaluator
 * promotes through it, the trainer's retention and the launcher's status and export read through it. Replacement is a single PUT of the whole object, which S3 makes
 * atomic for readers: they see the old pointer or the new one, never a mix. A run's checkpoints share one Kafka key,
 * hence one partition and one evaluator at a time, so read-decide-replace needs no lock.
 */
public final class BestModelStore {
    private final ObjectStore objects;
    // Unknown fields are tolerated so an older reader still finds checkpointUri in a newer writer's pointer.
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    public BestModelStore(ObjectStore objects) {
        if (objects == null) {
            throw new IllegalArgumentException("objects must be set");
        }
        this.objects = objects;
    }

    /**
     * The run's best, if it has one. Throws {@link BestPointerUnreadableException} if the object exists but is not a
     * pointer: callers must never read that as "no best" (retention would then be free to delete the best model).
     */
    public Optional<BestModelPointer> current(String runId) {
        String key = CheckpointLayout.bestPointerKey(runId);
        byte[] bytes;
        try {
            bytes = objects.get(key);
        } catch (ObjectNotFoundException e) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(bytes, BestModelPointer.class));
        } catch (IOException | IllegalArgumentException e) {
            throw new BestPointerUnreadableException("best-model pointer " + objects.uri(key) + " is unreadable: "
                + e.getMessage(), e);
        }
    }

    /** Replaces the run's pointer in one PUT; returns once S3 has acknowledged it. */
    public void replace(BestModelPointer pointer) {
        try {
            objects.put(CheckpointLayout.bestPointerKey(pointer.runId()), JSON.writeValueAsBytes(pointer),
                "application/json");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise best-model pointer of run " + pointer.runId(), e);
        }
    }

    /** Where the run's pointer lives. */
    public ObjectUri uri(String runId) {
        return objects.uri(CheckpointLayout.bestPointerKey(runId));
    }

    /** The pointer object exists but cannot be read as one: an operator must look, so it is not retried. */
    public static final class BestPointerUnreadableException extends RuntimeException {
        public BestPointerUnreadableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
