package dev.trainstream.trainer;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Test-only fault injection: lets the crash tests kill the trainer process at an exact point of the checkpoint
 * protocol, which an outside {@code kill -9} cannot hit reliably. Inert unless the system property
 * {@value #PROPERTY} is set to {@code <point>:step=<n>} (e.g. {@code after-object:step=40}); then reaching that point
 * at that global step halts the JVM with status {@value #EXIT_STATUS}, like SIGKILL: no shutdown hooks, no flushing.
 * Never set it in production.
 */
enum CrashPoint {
    /** The optimizer step is done, but the batch's offset is not yet recorded (mid-step from the pipeline's view). */
    AFTER_STEP("after-step"),
    /** The checkpoint object is durably in S3, its event is not yet published. */
    AFTER_OBJECT("after-object"),
    /** The checkpoint event is published, the consumer group's offsets are not yet committed. */
    BEFORE_COMMIT("before-commit"),
    /** The offsets are committed, retention has not run yet. */
    AFTER_COMMIT("after-commit");

    static final String PROPERTY = "trainstream.test.crashAt";
    static final int EXIT_STATUS = 137;
    private static final Logger LOG = LoggerFactory.getLogger(CrashPoint.class);
    private static final Pattern SPEC = Pattern.compile("([a-z-]+):step=(\\d+)");

    private final String label;

    CrashPoint(String label) {
        this.label = label;
    }

    /** The spelling used in {@value #PROPERTY}. */
    String label() {
        return label;
    }

    /** The property value that crashes here at {@code step}. */
    String at(long step) {
        return label + ":step=" + step;
    }

    /** Halts the JVM if the property names this point and {@code step}; otherwise returns at once. */
    void reached(long step) {
        String spec = System.getProperty(PROPERTY);
        if (spec == null) {
            return;
        }
        Matcher m = SPEC.matcher(spec.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(PROPERTY + " must look like <point>:step=<n>, was " + spec);
        }
        if (m.group(1).equals(label) && Long.parseLong(m.group(2)) == step) {
            LOG.warn("{}={}: halting the JVM with status {} (test fault injection)", PROPERTY, spec, EXIT_STATUS);
            Runtime.getRuntime().halt(EXIT_STATUS);
        }
    }
}
