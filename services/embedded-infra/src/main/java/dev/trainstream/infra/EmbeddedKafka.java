package dev.trainstream.infra;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Kafka broker (KRaft, combined broker + controller, single node) running in this JVM on 127.0.0.1.
 *
 * <p>Exists so that the one-command local mode and the integration tests talk to Kafka's own broker through the
 * real client, without Docker. Storage is formatted with Kafka's {@code StorageTool}; internal topics use
 * replication factor 1. The broker keeps its ports and data across {@link #restart()}, which tests use to
 * simulate a broker outage. Always {@link #close()} it: the broker leaves non-daemon threads behind otherwise.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Path dataDir;
    private final int brokerPort;
    private final int controllerPort;
    private final String clusterId;
    private KafkaRaftServer server;

    private EmbeddedKafka(Path dataDir, int brokerPort, int controllerPort, String clusterId) {
        this.dataDir = dataDir;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
        this.clusterId = clusterId;
    }

    /** Formats {@code dataDir} (idempotently) and starts a broker on free loopback ports; returns once it answers. */
    public static EmbeddedKafka start(Path dataDir) {
        return start(dataDir, FreePorts.pick(), FreePorts.pick());
    }

    /** As {@link #start(Path)} with fixed ports (0 picks a free one). */
    public static EmbeddedKafka start(Path dataDir, int brokerPort, int controllerPort) {
        int broker = brokerPort == 0 ? FreePorts.pick() : brokerPort;
        int controller = controllerPort == 0 ? FreePorts.pick() : controllerPort;
        EmbeddedKafka kafka = new EmbeddedKafka(dataDir, broker, controller, clusterIdFor(dataDir));
        kafka.boot();
        return kafka;
    }

    /** {@code host:port} for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    /** Stops the broker (keeping its data) and starts it again on the same ports. */
    public synchronized void restart() {
        stopServer();
        boot();
    }

    /** Stops the broker, keeping its data; {@link #restart()} brings it back. */
    public synchronized void stop() {
        stopServer();
    }

    @Override
    public synchronized void close() {
        stopServer();
    }

    private synchronized void boot() {
        Path configFile = writeConfig();
        format(configFile);
        Properties props = brokerProperties();
        KafkaRaftServer raftServer = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        try {
            raftServer.startup();
            server = raftServer;
            awaitReady();
        } catch (RuntimeException e) {
            server = raftServer;
            stopServer();
            throw new IllegalStateException("Kafka broker in " + dataDir + " failed to start: " + e.getMessage(), e);
        }
        LOG.info("Kafka broker ready at {} (KRaft, data in {})", bootstrapServers(), dataDir);
    }

    private void awaitReady() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(props)) {
            while (true) {
                try {
                    admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                    return;
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("Kafka broker did not answer within " + READY_TIMEOUT, e);
                    }
                }
            }
        }
    }

    private void stopServer() {
        KafkaRaftServer current = server;
        server = null;
        if (current != null) {
            current.shutdown();
            current.awaitShutdown();
            LOG.info("Kafka broker at {} stopped", bootstrapServers());
        }
    }

    private Properties brokerProperties() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", dataDir.resolve("logs").toString());
        // Single node: every internal topic must live with one replica.
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        // Few internal partitions: creating the default 50 costs seconds on a 2-core machine.
        p.put("offsets.topic.num.partitions", "3");
        p.put("transaction.state.log.num.partitions", "3");
        // Consumers join immediately instead of waiting 3 s for more members.
        p.put("group.initial.rebalance.delay.ms", "0");
        // Topics are created explicitly from the topic catalogue; a typo must not create a stray topic.
        p.put("auto.create.topics.enable", "false");
        p.put("num.partitions", "1");
        p.put("log.flush.interval.messages", "1");
        return p;
    }

    private Path writeConfig() {
        try {
            Files.createDirectories(dataDir);
            Path file = dataDir.resolve("server.properties");
            try (var out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                brokerProperties().store(out, "Trainstream embedded broker");
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write broker config in " + dataDir, e);
        }
    }

    private void format(Path configFile) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int rc;
        try (PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            rc = StorageTool.execute(new String[] {
                "format", "-t", clusterId, "-c", configFile.toString(), "--ignore-formatted"}, out);
        }
        if (rc != 0) {
            throw new IllegalStateException("Kafka StorageTool format failed (exit " + rc + ") for " + dataDir + ": "
                + captured.toString(StandardCharsets.UTF_8));
        }
    }

    /** A stable cluster id per data directory, so a restart finds the same cluster. */
    private static String clusterIdFor(Path dataDir) {
        Path idFile = dataDir.resolve("cluster.id");
        try {
            Files.createDirectories(dataDir);
            if (Files.exists(idFile)) {
                return Files.readString(idFile, StandardCharsets.UTF_8).trim();
            }
            String id = Uuid.randomUuid().toString();
            Files.writeString(idFile, id, StandardCharsets.UTF_8);
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + idFile, e);
        }
    }
}
