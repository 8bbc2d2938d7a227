package dev.trainstream.launcher;

import dev.trainstream.infra.LocalInfrastructure;
import dev.trainstream.ops.config.Setting;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** The options of {@code trainstream infra}; defaults and help from {@link InfraSettings}. */
final class InfraOptions implements SettingsBacked {
    @Option(names = "--kafka-port", paramLabel = "PORT")
    int kafkaPort;

    @Option(names = "--controller-port", paramLabel = "PORT")
    int controllerPort;

    @Option(names = "--s3-port", paramLabel = "PORT")
    int s3Port;

    @Option(names = "--work-dir", paramLabel = "DIR")
    Path workDir;

    @Override
    public List<Setting> settings() {
        return InfraSettings.ALL;
    }

    /**
     * The ports, validated and free on the loopback interface: a taken one fails here, naming its option, before
     * anything starts (the broker's own bind error is a stack trace deep inside its start-up).
     */
    LocalInfrastructure.Ports ports() {
        LocalInfrastructure.Ports ports = new LocalInfrastructure.Ports(kafkaPort, controllerPort, s3Port);
        requireFree(ports.kafka(), InfraSettings.KAFKA_PORT);
        requireFree(ports.controller(), InfraSettings.CONTROLLER_PORT);
        requireFree(ports.s3(), InfraSettings.S3_PORT);
        return ports;
    }

    private static void requireFree(int port, Setting setting) {
        if (port == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            throw new IllegalArgumentException("port " + port + " on 127.0.0.1 is already in use (" + e.getMessage()
                + "): is trainstream infra, a Kafka broker or MinIO already running? Stop it, or choose another port with "
                + setting.label());
        }
    }
}
