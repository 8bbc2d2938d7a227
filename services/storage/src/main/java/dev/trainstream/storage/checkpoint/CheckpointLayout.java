package dev.trainstream.storage.checkpoint;

import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Object keys of a run's checkpoints, evaluation results and best-model pointer, defined once. */
public final class CheckpointLayout {
    private static final Pattern CHECKPOINT = Pattern.compile(".*/checkpoints/step-(\\d{10})\\.ckpt$");

    private CheckpointLayout() {
    }

    public static String runPrefix(String runId) {
        return "runs/" + runId + "/";
    }

    public static String checkpointsPrefix(String runId) {
        return runPrefix(runId) + "checkpoints/";
    }

    /** Zero-padded so keys sort by step. */
    public static String checkpointKey(String runId, long step) {
        return checkpointsPrefix(runId) + String.format("step-%010d.ckpt", step);
    }

    /** The evaluation result stored beside a checkpoint. */
    public static String evaluationKey(String checkpointKey) {
        return checkpointKey.replaceFirst("\\.ckpt$", ".eval.json");
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
