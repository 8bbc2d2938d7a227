package dev.trainstream.trainer;

/** A batch reference that can never be trained (missing shard or record, checksum mismatch): dead-lettered, skipped. */
final class PoisonedBatchException extends RuntimeException {
    PoisonedBatchException(String message) {
        super(message);
    }

    PoisonedBatchException(String message, Throwable cause) {
        super(message, cause);
    }
}
