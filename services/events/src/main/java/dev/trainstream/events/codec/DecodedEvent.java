package dev.trainstream.events.codec;

import dev.trainstream.events.EventType;
import dev.trainstream.events.TrainstreamEvent;
import java.net.URI;
import java.time.OffsetDateTime;

/**
 * A decoded event with the CloudEvents attributes it travelled with.
 *
 * @param event  the validated event
 * @param type   its event type (from ce_type)
 * @param ceId   ce_id, unique per emitted event (useful to de-duplicate redeliveries)
 * @param source ce_source, the emitting service, e.g. /trainstream/trainer
 * @param time   ce_time, null if the producer did not set it
 */
public record DecodedEvent<V extends TrainstreamEvent>(V event, EventType type, String ceId, URI source,
                                                       OffsetDateTime time) {
}
