package dev.trainstream.ingest.source;

/** Input data is unusable; the message names the file or record and what is wrong. Ingest stops, publishing nothing. */
public final class DatasetException extends Exception {
    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
