package dev.trainstream.examples.metrics;

/**
 * One metric sample of a training run, as this consumer prints it.
 *
 * @param runId     the training run (also the Kafka key)
 * @param key       metric name, e.g. train.loss
 * @param step      training step
 * @param value     sample value
 * @param timestamp epoch milliseconds when the trainer recorded it
 */
public record MetricSample(String runId, String key, long step, double value, long timestamp) {

    /** The identity of a sample: a re-delivered sample has the same one. */
    public String identity() {
        return runId + '\u0000' + step + '\u0000' + key;
    }

    /** One printable line; the run id and key are quoted so odd characters cannot fake extra fields. */
    public String render() {
        return "run=" + quote(runId) + " step=" + step + " key=" + quote(key) + " value=" + value + " ts=" + timestamp;
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        text.codePoints().forEach(c -> {
            if (c == '"' || c == '\\') {
                out.append('\\').appendCodePoint(c);
            } else if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.append('"').toString();
    }
}
