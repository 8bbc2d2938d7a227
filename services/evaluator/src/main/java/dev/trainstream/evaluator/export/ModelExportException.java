package dev.trainstream.evaluator.export;

/** The run cannot be exported (no best model yet, or its checkpoint is gone, corrupt or unreadable); not retried. */
public final class ModelExportException extends RuntimeException {
    public ModelExportException(String message) {
        super(message);
    }

    public ModelExportException(String message, Throwable cause) {
        super(message, cause);
    }
}
