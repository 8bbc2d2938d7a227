package dev.trainstream.ingest;

/** Ingest could not reach or write to Kafka; the message says what was (not) published. */
public final class IngestFailure extends RuntimeException {
    public IngestFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
