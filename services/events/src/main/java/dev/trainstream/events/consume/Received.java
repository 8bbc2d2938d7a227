package dev.trainstream.events.consume;

/**
 * A valid event with where it came from, so the caller can commit or record its offset.
 *
 * @param event     the decoded event
 * @param topic     source topic
 * @param partition source partition
 * @param offset    source offset
 * @param ceId      CloudEvents id (same id on a redelivery of the same record)
 */
public record Received<V>(V event, String topic, int partition, long offset, String ceId) {
}
