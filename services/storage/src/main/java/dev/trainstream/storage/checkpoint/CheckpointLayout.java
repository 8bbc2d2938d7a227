package dev.trainstream.storage.checkpoint;

import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Object keys of a run's checkpoints, evaluation results and best-model pointer, defined once. */
public final class CheckpointLayout {
    /** What a run id may be wherever it becomes part of an object key (the trainer enforces the same rule). */
    public static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final Pattern CHECKPOINT = Pattern.compile(".*/checkpoints/step-(\\d{10})\\.ckpt$");
    private static final Pattern CHECKPOINT_KEY =
        Pattern.compile("runs/(" + RUN_ID.pattern() + ")/checkpoints/step-\\d{10}\\.ckpt");

    private CheckpointLayout() {
    }

    /**
     * A run's key prefix.
     *
     * @throws IllegalArgumentException if {@code runId} could reach outside the run's prefix or is not a run id
     */
    public static String runPrefix(String runId) {
        return "runs/" + requireRunId(runId) + "/";
    }

    /** {@code runId} if it is a valid run id (1-100 letters, digits, '.', '_' or '-', starting alphanumeric). */
    public static String requireRunId(String runId) {
        if (runId == null || !RUN_ID.matcher(runId).matches()) {
            throw new IllegalArgumentException("not a valid run id: " + (runId == null ? "null" : "'" + runId + "'")
                + " (1-100 letters, digits, '.', '_' or '-', starting with a letter or digit)");
        }
        return runId;
    }

    public static String checkpointsPrefix(String runId) {
        return runPrefix(runId) + "checkpoints/";
    }

    /** Zero-padded so keys sort by step. */
    public static String checkpointKey(String runId, long step) {
        return checkpointsPrefix(runId) + String.format("step-%010d.ckpt", step);
    }

    /**
     * The evaluation result stored beside a checkpoint of {@code runId}.
     *
     * @throws IllegalArgumentException if {@code checkpointKey} is not {@code runs/<runId>/checkpoints/step-N.ckpt}:
     *                                  writing a result for any other key could overwrite an object that is not one
     */
    public static String evaluationKey(String runId, String checkpointKey) {
        Matcher m = checkpointKey == null ? null : CHECKPOINT_KEY.matcher(checkpointKey);
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("not a checkpoint key: '" + checkpointKey + "' (expected runs/"
                + runId + "/checkpoints/step-<10 digits>.ckpt)");
        }
        if (!m.group(1).equals(runId)) {
            throw new IllegalArgumentException("checkpoint key '" + checkpointKey + "' belongs to run " + m.group(1)
                + ", not to run " + runId + " named by the event");
        }
        return checkpointKey.substring(0, checkpointKey.length() - ".ckpt".length()) + ".eval.json";
    }

    public static String bestPointerKey(String runId) {
        return runPrefix(runId) + "best.json";
    }

    /** The step of a checkpoint key, or empty if the key is not a checkpoint. */
    public static OptionalLong stepOf(String key) {
        Matcher m = CHECKPOINT.matcher(key);
        return m.matches() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
    }
}
