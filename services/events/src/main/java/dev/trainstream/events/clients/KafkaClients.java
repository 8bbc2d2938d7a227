package dev.trainstream.events.clients;

import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The one place Trainstream's Kafka producers, consumers and admin clients get their settings, so every writer and
 * reader agrees on keys, values, delivery, isolation and commits: String keys, byte[] values encoded and decoded by
 * the codec, idempotent acks=all writes, never auto-committed reads.
 */
public final class KafkaClients {

    private KafkaClients() {
    }

    /**
     * Settings of a consumer in a group (services): offsets are committed by the caller after the effect, never on a
     * timer, so a crash re-delivers rather than loses (at-least-once).
     *
     * @param fromBeginning where a group without committed offsets starts: earliest (true) or latest (false)
     * @param readCommitted only see events of committed transactions (true) or every record (false)
     */
    public static Properties groupConsumer(String bootstrap, String groupId, String clientId, boolean fromBeginning,
                                           boolean readCommitted) {
        requireNonBlank(groupId, "groupId");
        Properties props = base(bootstrap, clientId, readCommitted ? IsolationLevel.READ_COMMITTED
            : IsolationLevel.READ_UNCOMMITTED);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest");
        return props;
    }

    /** How long the broker may hold a reader's fetch waiting for more records. */
    static final int READER_FETCH_WAIT_MS = 50;

    /**
     * A consumer outside any group (tools, snapshots, ingest's look at its own epochs): it assigns partitions itself
     * and commits nothing; {@code apiTimeout} bounds metadata and offset look-ups so an unreachable broker fails the
     * caller instead of hanging it.
     */
    public static KafkaConsumer<String, byte[]> reader(String bootstrap, String clientId, IsolationLevel isolation,
                                                       Duration apiTimeout) {
        Properties props = base(bootstrap, clientId, isolation);
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis(apiTimeout));
        // A reader mostly replays to an end it took at the start; the broker's default 500 ms long poll only delayed
        // its last fetch (ingest's epoch scan took 0.7 s instead of 0.2 s). A following reader polls a little more.
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, READER_FETCH_WAIT_MS);
        return new KafkaConsumer<>(props);
    }

    /**
     * Settings of a producer: the broker de-duplicates its retries (idempotence), so a retried send never writes an
     * event twice or out of order, and an event counts as published only once all in-sync replicas have it (acks=all).
     * {@code extra} overrides or adds properties (e.g. delivery.timeout.ms); a non-null {@code transactionalId} makes
     * it transactional.
     */
    public static Properties producer(String bootstrap, String clientId, String transactionalId, Properties extra) {
        requireNonBlank(bootstrap, "bootstrap");
        requireNonBlank(clientId, "clientId");
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        if (extra != null) {
            props.putAll(extra);
        }
        if (transactionalId != null) {
            requireNonBlank(transactionalId, "transactionalId");
            props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        return props;
    }

    /** An admin client whose every call gives up after {@code timeout}. */
    public static Admin admin(String bootstrap, String clientId, Duration timeout) {
        requireNonBlank(bootstrap, "bootstrap");
        requireNonBlank(clientId, "clientId");
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis(timeout));
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis(timeout));
        return Admin.create(props);
    }

    private static Properties base(String bootstrap, String clientId, IsolationLevel isolation) {
        requireNonBlank(bootstrap, "bootstrap");
        requireNonBlank(clientId, "clientId");
        if (isolation == null) {
            throw new IllegalArgumentException("isolation must be set");
        }
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toString().toLowerCase(Locale.ROOT));
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return props;
    }

    private static int millis(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        return (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    }

    private static void requireNonBlank(String value, String setting) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(setting + " must be a non-blank string");
        }
    }
}
