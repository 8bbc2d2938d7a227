package dev.trainstream.ingest.source;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;

/**
 * Why an I/O operation failed, in words for the end of an error message: the exception's own message, or, for the
 * many JDK exceptions that carry none (a truncated gzip stream, an unresolvable host), what its kind means, so no
 * message ever ends in "null".
 */
public final class IoCause {
    private IoCause() {
    }

    public static String of(Throwable e) {
        String message = e.getMessage();
        if (message != null && !message.isBlank()) {
            return message;
        }
        if (e instanceof EOFException) {
            return "the data ends early (EOFException)";
        }
        if (e instanceof UnknownHostException || e instanceof UnresolvedAddressException) {
            return "host not resolvable (" + e.getClass().getSimpleName() + ")";
        }
        if (e instanceof HttpTimeoutException) {
            return "no answer in time (" + e.getClass().getSimpleName() + ")";
        }
        Throwable cause = e.getCause();
        if (e instanceof ConnectException) {
            // The JDK's HTTP client: no message, and a cause that says "unresolved" or nothing useful.
            boolean unresolved = cause instanceof UnresolvedAddressException || cause instanceof UnknownHostException;
            return unresolved ? "host not resolvable (ConnectException)" : "connection refused (ConnectException)";
        }
        if (cause != null && cause != e) {
            return of(cause);
        }
        return e.getClass().getSimpleName() + ", without a message";
    }
}
