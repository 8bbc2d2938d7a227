package dev.trainstream.launcher;

import dev.trainstream.ops.config.ConnectionSettings;
import dev.trainstream.ops.config.Setting;
import java.net.URI;
import java.util.List;

/**
 * Every setting of {@code trainstream infra} with its default, declared once. The ports default to those of the
 * services' default {@code --kafka-bootstrap} and {@code --s3-endpoint}, so the services find the infrastructure with
 * no flag but the S3 credentials it prints.
 */
final class InfraSettings {
    /** The port of the services' default bootstrap address. */
    static final Setting KAFKA_PORT = Setting.env("kafka-port", "TRAINSTREAM_INFRA_KAFKA_PORT",
        Integer.toString(bootstrapPort()),
        "Port of the embedded Kafka broker on 127.0.0.1 (0 = any free port); the default is the port of the services' "
            + "default --kafka-bootstrap.");
    /** Kafka's conventional controller port next to 9092; fixed, so a restart finds the quorum where it was. */
    static final Setting CONTROLLER_PORT = Setting.env("controller-port", "TRAINSTREAM_INFRA_CONTROLLER_PORT", "9093",
        "Port of the broker's KRaft controller listener on 127.0.0.1 (0 = any free port); no client uses it.");
    /** The port of the services' default S3 endpoint. */
    static final Setting S3_PORT = Setting.env("s3-port", "TRAINSTREAM_INFRA_S3_PORT",
        Integer.toString(URI.create(ConnectionSettings.S3_ENDPOINT.required()).getPort()),
        "Port of the embedded S3 server on 127.0.0.1 (0 = any free port); the default is the port of the services' "
            + "default --s3-endpoint.");
    /** Beside `up`'s .trainstream/local, which `up` clears on every start; this one is kept. */
    static final Setting WORK_DIR = Setting.env("work-dir", "TRAINSTREAM_INFRA_WORK_DIR", ".trainstream/infra",
        "Where the broker's log, the S3 objects and the S3 credentials (created on the first start) are kept across "
            + "restarts; delete it to start empty.");

    /** In the order --help and the README list them. */
    static final List<Setting> ALL = List.of(KAFKA_PORT, CONTROLLER_PORT, S3_PORT, WORK_DIR);

    private InfraSettings() {
    }

    private static int bootstrapPort() {
        String bootstrap = ConnectionSettings.KAFKA_BOOTSTRAP.required();
        return Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
    }
}
