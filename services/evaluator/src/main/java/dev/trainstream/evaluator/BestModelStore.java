package dev.trainstream.evaluator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainstream.events.codec.EventCodec;
import dev.trainstream.storage.ObjectNotFoundException;
import dev.trainstream.storage.ObjectStore;
import dev.trainstream.storage.ObjectUri;
import dev.trainstream.storage.checkpoint.CheckpointLayout;
import java.io.IOException;
import java.util.Optional;

/**
 * Reads and replaces a run's best-model pointer. Replacement is a single PUT of the whole object, which S3 makes
 * atomic for readers: they see the old pointer or the new one, never a mix. A run's checkpoints share one Kafka key,
 * hence one partition and one evaluator at a time, so read-decide-replace needs no lock.
 */
public final class BestModelStore {
    private final ObjectStore objects;
    private final ObjectMapper json = EventCodec.newMapper()
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public BestModelStore(ObjectStore objects) {
        if (objects == null) {
            throw new IllegalArgumentException("objects must be set");
        }
        this.objects = objects;
    }

    /** The run's best, if it has one. Throws {@link BestPointerUnreadableException} if the object is not a pointer. */
    public Optional<BestModelPointer> current(String runId) {
        String key = CheckpointLayout.bestPointerKey(runId);
        byte[] bytes;
        try {
            bytes = objects.get(key);
        } catch (ObjectNotFoundException e) {
            return Optional.empty();
        }
        try {
            return Optional.of(json.readValue(bytes, BestModelPointer.class));
        } catch (IOException | IllegalArgumentException e) {
            throw new BestPointerUnreadableException("best-model pointer " + objects.uri(key) + " is unreadable: "
                + e.getMessage(), e);
        }
    }

    /** Replaces the run's pointer in one PUT; returns once S3 has acknowledged it. */
    public void replace(BestModelPointer pointer) {
        try {
            objects.put(CheckpointLayout.bestPointerKey(pointer.runId()), json.writeValueAsBytes(pointer),
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
        BestPointerUnreadableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
