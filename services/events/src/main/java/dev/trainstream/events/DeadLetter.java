package dev.trainstream.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * A record that could not be consumed, parked with enough context to inspect and replay it
 * (topic trainstream.deadletter.v1, key = source topic name).
 *
 * @param sourceTopic   topic the record came from
 * @param partition     its partition
 * @param offset        its offset
 * @param key           its key, null if it had none (omitted from JSON)
 * @param ceType        its ce_type header, null if it had none (omitted from JSON)
 * @param reason        why it was rejected, non-blank
 * @param payloadBase64 its value, base64 (empty for a null value); only the first 64 KiB when
 *                      {@code payloadTruncated}, so a dead letter always fits a Kafka record
 * @param service       the service that rejected it, e.g. "trainer"
 * @param failedAt      when it was rejected
 * @param payloadBytes  the size of the whole value in bytes (null in dead letters written before it existed)
 * @param payloadSha256 the SHA-256 of the whole value, lower-case hex (null as above)
 * @param payloadTruncated whether {@code payloadBase64} holds less than the whole value (null as above)
 */
public record DeadLetter(String sourceTopic, int partition, long offset,
                         @JsonInclude(JsonInclude.Include.NON_NULL) String key,
                         @JsonInclude(JsonInclude.Include.NON_NULL) String ceType,
                         String reason, String payloadBase64, String service, Instant failedAt,
                         @JsonInclude(JsonInclude.Include.NON_NULL) Long payloadBytes,
                         @JsonInclude(JsonInclude.Include.NON_NULL) String payloadSha256,
                         @JsonInclude(JsonInclude.Include.NON_NULL) Boolean payloadTruncated)
        implements TrainstreamEvent {

    public DeadLetter {
        FieldChecks.nonBlank(sourceTopic, "sourceTopic");
        FieldChecks.atLeast(partition, 0, "partition");
        FieldChecks.atLeast(offset, 0L, "offset");
        FieldChecks.nonBlank(reason, "reason");
        FieldChecks.nonNull(payloadBase64, "payloadBase64");
        FieldChecks.nonBlank(service, "service");
        FieldChecks.nonNull(failedAt, "failedAt");
        if (payloadBytes != null) {
            FieldChecks.atLeast(payloadBytes, 0L, "payloadBytes");
        }
        if (payloadSha256 != null && !payloadSha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("payloadSha256 must be 64 lower-case hex digits, was " + payloadSha256);
        }
    }
}
