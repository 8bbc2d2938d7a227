package dev.trainstream.ops;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/** Readiness probe for Kafka: the cluster answers a describe-cluster call within the timeout. */
public final class KafkaProbe implements ReadinessCheck, AutoCloseable {
    private final Admin admin;
    private final Duration timeout;

    private KafkaProbe(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    /** A probe with its own small admin client (closed by {@link #close()}). */
    public static KafkaProbe create(String bootstrapServers, Duration timeout) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "trainstream-readiness");
        // Fail the probe quickly rather than letting the admin client retry for its default minute.
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        return new KafkaProbe(Admin.create(props), timeout);
    }

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public void verify() throws Exception {
        admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
            .clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
