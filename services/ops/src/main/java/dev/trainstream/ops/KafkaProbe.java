package dev.trainstream.ops;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/** Readiness probe for Kafka: the cluster answers a describe-cluster call within the timeout. */
public final class KafkaProbe implements ReadinessCheck, AutoCloseable {
    private final Admin admin;
    private final Duration timeout;
    private final boolean ownsAdmin;

    private KafkaProbe(Admin admin, Duration timeout, boolean ownsAdmin) {
        this.admin = admin;
        this.timeout = timeout;
        this.ownsAdmin = ownsAdmin;
    }

    /**
     * A probe over its own small admin client, which it closes in {@link #close()}; the client's calls should give up
     * within {@code timeout} (events' KafkaClients.admin builds one), so the probe fails fast instead of retrying for
     * the client's default minute.
     */
    public static KafkaProbe over(Admin admin, Duration timeout) {
        if (admin == null) {
            throw new IllegalArgumentException("admin must be set");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        return new KafkaProbe(admin, timeout, true);
    }

    /** A probe over the caller's admin client, which {@link #close()} leaves open (the caller closes it). */
    public static KafkaProbe borrowing(Admin admin, Duration timeout) {
        KafkaProbe owning = over(admin, timeout);
        return new KafkaProbe(owning.admin, owning.timeout, false);
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
        if (ownsAdmin) {
            admin.close(Duration.ofSeconds(5));
        }
    }
}
