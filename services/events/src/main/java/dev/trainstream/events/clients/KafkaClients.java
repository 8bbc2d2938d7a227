package dev.trainstream.events.clients;

import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The one place Trainstream's Kafka consumers and admin clients get their settings (producers get theirs in
 * {@link dev.trainstream.events.produce.EventPublisher}), so every reader agrees on keys, values, isolation and
 * commits: String keys, byte[] values decoded by the codec, never auto-committed.
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

    /**
     * A consumer outside any group (tools, snapshots, ingest's look at its own epochs): it assigns partitions itself
     * and commits nothing; {@code apiTimeout} bounds metadata and offset look-ups so an unreachable broker fails the
     * caller instead of hanging it.
     */
    public static KafkaConsumer<String, byte[]> reader(String bootstrap, String clientId, IsolationLevel isolation,
                                                       Duration apiTimeout) {
        Properties props = base(bootstrap, clientId, isolation);
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis(apiTimeout));
        return new KafkaConsumer<>(props);
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
