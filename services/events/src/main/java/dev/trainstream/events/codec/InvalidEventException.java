package dev.trainstream.events.codec;

/** A record that is not a valid event of its topic; the message names topic/partition/offset and what is wrong. */
public final class InvalidEventException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String topic;
    private final int partition;
    private final long offset;
    private final String problem;

    /** A Kafka record at topic/partition/offset is invalid because of {@code problem}. */
    public InvalidEventException(String topic, int partition, long offset, String problem, Throwable cause) {
        super("Invalid event at topic " + topic + " partition " + partition + " offset " + offset + ": " + problem,
                cause);
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.problem = problem;
    }

    /** A payload outside Kafka (e.g. a JSON document read from S3) is invalid; topic is null, partition/offset -1. */
    public InvalidEventException(String problem, Throwable cause) {
        super("Invalid payload: " + problem, cause);
        this.topic = null;
        this.partition = -1;
        this.offset = -1L;
        this.problem = problem;
    }

    /** Source topic, null when the payload did not come from Kafka. */
    public String topic() {
        return topic;
    }

    /** Source partition, -1 when the payload did not come from Kafka. */
    public int partition() {
        return partition;
    }

    /** Source offset, -1 when the payload did not come from Kafka. */
    public long offset() {
        return offset;
    }

    /** What is wrong, without the topic/partition/offset prefix (used as the dead letter reason). */
    public String problem() {
        return problem;
    }
}
