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
 * hence one partition and normally one evaluator at a time; but during a rebalance or a rolling update two may score
 * the same run, so promotion replaces the pointer only if it is still the version the decision was made against
 * ({@link #replaceIfUnchanged}, S3's conditional PUT), never with a lock-free read-decide-replace.
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
        return Optional.of(parse(key, bytes));
    }

    private BestModelPointer parse(String key, byte[] bytes) {
        try {
            return JSON.readValue(bytes, BestModelPointer.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new BestPointerUnreadableException("best-model pointer " + objects.uri(key) + " is unreadable: "
                + e.getMessage(), e);
        }
    }

    /** The run's pointer and the version it was read at ({@code etag}); empty when the run has no best yet. */
    public record Versioned(Optional<BestModelPointer> pointer, Optional<String> etag) {
    }

    /** {@link #current} with the object's version, for {@link #replaceIfUnchanged}. */
    public Versioned currentVersioned(String runId) {
        String key = CheckpointLayout.bestPointerKey(runId);
        ObjectStore.Versioned read;
        try {
            read = objects.getVersioned(key);
        } catch (ObjectNotFoundException e) {
            return new Versioned(Optional.empty(), Optional.empty());
        }
        return new Versioned(Optional.of(parse(key, read.data())), Optional.of(read.etag()));
    }

    /**
     * Replaces the run's pointer only if it is still at {@code seen}'s version (or still absent); false when another
     * evaluator replaced it meanwhile: re-read and decide again.
     */
    public boolean replaceIfUnchanged(BestModelPointer pointer, Versioned seen) {
        try {
            return objects.replaceIfUnchanged(CheckpointLayout.bestPointerKey(pointer.runId()),
                JSON.writeValueAsBytes(pointer), "application/json", seen.etag());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise best-model pointer of run " + pointer.runId(), e);
        }
    }

    /** Replaces the run's pointer in one PUT, unconditionally (tests and tools); returns once S3 has acknowledged it. */
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
