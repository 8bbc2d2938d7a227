package dev.trainstream.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainstream.storage.ObjectNotFoundException;
import dev.trainstream.storage.ObjectStore;
import dev.trainstream.storage.ObjectUri;
import dev.trainstream.storage.checkpoint.CheckpointLayout;
import java.io.IOException;
import java.util.Optional;

/**
 * Which checkpoint the evaluator's best-model pointer ({@code runs/<id>/best.json}) protects from retention. Only the
 * {@code checkpointUri} field is read, as JSON, so the trainer does not depend on the evaluator's pointer record; a
 * pointer that exists but cannot be read is an error, never "no best", so retention cannot delete the best model.
 */
final class BestCheckpointKey {
    private static final ObjectMapper JSON = new ObjectMapper();

    private BestCheckpointKey() {
    }

    /** The best checkpoint's object key, or empty when the run has no pointer yet. */
    static Optional<String> of(ObjectStore objects, String runId) {
        String pointer = CheckpointLayout.bestPointerKey(runId);
        byte[] bytes;
        try {
            bytes = objects.get(pointer);
        } catch (ObjectNotFoundException e) {
            return Optional.empty();
        }
        try {
            JsonNode uri = JSON.readTree(bytes).path("checkpointUri");
            if (!uri.isTextual()) {
                throw new UnreadablePointerException(objects.uri(pointer) + " has no text field checkpointUri");
            }
            return Optional.of(ObjectUri.parse(uri.asText()).key());
        } catch (IOException | IllegalArgumentException e) {
            throw new UnreadablePointerException(objects.uri(pointer) + " is not a best-model pointer: " + e.getMessage());
        }
    }

    /** The pointer exists but names no checkpoint: retention must not guess. */
    static final class UnreadablePointerException extends RuntimeException {
        UnreadablePointerException(String message) {
            super(message);
        }
    }
}
