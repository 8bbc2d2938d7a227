package dev.trainstream.engine.state;

import java.io.IOException;

/** A training state that is corrupt, from an unknown format version, or does not fit the network it is loaded into. */
public class IncompatibleStateException extends IOException {

    private static final long serialVersionUID = 1L;

    /** With a message naming what does not match. */
    public IncompatibleStateException(String message) {
        super(message);
    }

    /** With a message and the underlying parse or I/O failure. */
    public IncompatibleStateException(String message, Throwable cause) {
        super(message, cause);
    }
}
