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
 * @param payloadBase64 its value, base64 (empty for a null value)
 * @param service       the service that rejected it, e.g. "trainer"
 * @param failedAt      when it was rejected
 */
public record DeadLetter(String sourceTopic, int partition, long offset,
                         @JsonInclude(JsonInclude.Include.NON_NULL) String key,
                         @JsonInclude(JsonInclude.Include.NON_NULL) String ceType,
                         String reason, String payloadBase64, String service, Instant failedAt)
        implements TrainstreamEvent {

    public DeadLetter {
        FieldChecks.nonBlank(sourceTopic, "sourceTopic");
        FieldChecks.atLeast(partition, 0, "partition");
        FieldChecks.atLeast(offset, 0L, "offset");
        FieldChecks.nonBlank(reason, "reason");
        FieldChecks.nonNull(payloadBase64, "payloadBase64");
        FieldChecks.nonBlank(service, "service");
        FieldChecks.nonNull(failedAt, "failedAt");
    }
}
