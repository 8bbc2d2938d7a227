package dev.trainstream.events.consume;

import dev.trainstream.events.BatchReference;
import dev.trainstream.events.SampleEvents;
import dev.trainstream.events.ShardSlice;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** What the consume tests publish: small batch references, and a producer that writes raw bytes past the codec. */
final class ConsumeTestRecords {
    private ConsumeTestRecords() {
    }

    /** Step {@code step} of a two-step epoch of {@code datasetId}, three records of one shard. */
    static BatchReference batch(String datasetId, int step) {
        return new BatchReference(datasetId, SampleEvents.MANIFEST_KEY, 0, step, 2, 4,
                List.of(new ShardSlice(SampleEvents.SHARD_A, List.of(step * 4, step * 4 + 1, step * 4 + 2))));
    }

    /** A plain producer of raw values, for records no codec would write (schema violations, junk). */
    static KafkaProducer<String, byte[]> rawProducer(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(props);
    }
}
