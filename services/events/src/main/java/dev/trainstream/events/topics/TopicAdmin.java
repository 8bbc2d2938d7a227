package dev.trainstream.events.topics;

import dev.trainstream.events.clients.KafkaClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the project's topics with their partition counts and configuration; existing topics are left as they are. */
public final class TopicAdmin {

    private static final Logger LOG = LoggerFactory.getLogger(TopicAdmin.class);
    /** Default wait for the broker to confirm topic creation. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private TopicAdmin() {
    }

    /** Creates missing topics and waits up to {@link #DEFAULT_TIMEOUT}; see {@link #ensureTopics(String, Collection, short, Duration)}. */
    public static void ensureTopics(String bootstrap, Collection<Topic<?>> topics, short replicationFactor) {
        ensureTopics(bootstrap, topics, replicationFactor, DEFAULT_TIMEOUT);
    }

    /**
     * Creates the topics that do not exist yet (TopicExistsException is expected and ignored) and waits for completion.
     *
     * @throws IllegalArgumentException on invalid arguments
     * @throws IllegalStateException    if creation fails or does not complete within the timeout (fatal for a service start)
     */
    public static void ensureTopics(String bootstrap, Collection<Topic<?>> topics, short replicationFactor,
                                    Duration timeout) {
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException("bootstrap must be non-blank");
        }
        if (topics == null || topics.isEmpty()) {
            throw new IllegalArgumentException("topics must not be empty");
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replicationFactor must be >= 1, got " + replicationFactor);
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        // Every admin call is bounded by our timeout so a missing broker fails the start instead of hanging it.
        try (Admin admin = KafkaClients.admin(bootstrap, "trainstream-topic-admin", timeout)) {
            ensureTopics(admin, topics, replicationFactor, timeout);
        }
    }

    /**
     * As {@link #ensureTopics(String, Collection, short, Duration)} over an admin client the caller already holds
     * (and closes), so a service that also probes the cluster opens one connection, not two.
     */
    public static void ensureTopics(Admin admin, Collection<Topic<?>> topics, short replicationFactor,
                                    Duration timeout) {
        if (admin == null || topics == null || topics.isEmpty() || replicationFactor < 1 || timeout == null
            || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("need an admin client, topics, replication >= 1 and a positive timeout");
        }
        List<NewTopic> requested = new ArrayList<>();
        for (Topic<?> topic : topics) {
            requested.add(new NewTopic(topic.name(), topic.partitions(), replicationFactor).configs(topic.config()));
        }
        Map<String, KafkaFuture<Void>> results = admin.createTopics(requested).values();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Map.Entry<String, KafkaFuture<Void>> result : results.entrySet()) {
            await(result.getKey(), result.getValue(), deadline);
        }
    }

    private static void await(String name, KafkaFuture<Void> future, long deadlineNanos) {
        try {
            future.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            LOG.info("Created topic {}", name);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                LOG.debug("Topic {} already exists", name);
                return;
            }
            throw new IllegalStateException("Could not create topic " + name + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Timed out creating topic " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topic " + name, e);
        }
    }
}
