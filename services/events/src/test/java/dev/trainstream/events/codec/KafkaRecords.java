package dev.trainstream.events.codec;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/** Builds consumer-side records for codec tests without a broker. */
final class KafkaRecords {

    private KafkaRecords() {
    }

    /** The record as a consumer would see it at topic/partition/offset. */
    static ConsumerRecord<String, byte[]> consumed(ProducerRecord<String, byte[]> sent, int partition, long offset) {
        RecordHeaders headers = new RecordHeaders(sent.headers().toArray());
        return record(sent.topic(), partition, offset, sent.key(), sent.value(), headers);
    }

    /** A record with the given headers (UTF-8 values), as a consumer would see it. */
    static ConsumerRecord<String, byte[]> withHeaders(String topic, int partition, long offset, String key, byte[] value,
                                                      Map<String, String> headerValues) {
        RecordHeaders headers = new RecordHeaders();
        headerValues.forEach((name, v) -> headers.add(name, v.getBytes(StandardCharsets.UTF_8)));
        return record(topic, partition, offset, key, value, headers);
    }

    private static ConsumerRecord<String, byte[]> record(String topic, int partition, long offset, String key,
                                                         byte[] value, Headers headers) {
        return new ConsumerRecord<>(topic, partition, offset, 0L, TimestampType.CREATE_TIME,
                key == null ? -1 : key.length(), value == null ? -1 : value.length, key, value, headers,
                Optional.empty());
    }
}
