package dev.trainstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainstream.infra.junit.ChildJvm;
import dev.trainstream.ops.config.ConnectionSettings;
import io.minio.GetObjectArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code trainstream infra} as a user runs it: its own JVM, stopped like Ctrl-C (SIGTERM, the same shutdown path), then
 * started again on the same work directory; what was written before is there after; a taken port fails it clearly.
 */
class InfraCommandTest {
    private static final Duration LIMIT = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    @Test
    void givenInfraStarted_whenWrittenToThenStoppedAndStartedAgain_thenItExits0AndTopicsObjectsAndCredentialsAreKept()
        throws Exception {
        Path workDir = dir.resolve("work");
        List<String> args = infraArgsOnFreePorts(workDir);
        byte[] body = "kept across restarts".getBytes(StandardCharsets.UTF_8);
        List<String> flags;
        try (ChildJvm infra = InfraProcesses.start(dir.resolve("infra-1.log"), args)) {
            flags = InfraProcesses.awaitFlags(infra, LIMIT);
            String bootstrap = value(flags, ConnectionSettings.KAFKA_BOOTSTRAP.flag());
            assertThat(Files.readString(workDir.resolve(InfraConnection.ENV_FILE))).as("env file")
                .contains("export TRAINSTREAM_KAFKA_BOOTSTRAP=" + bootstrap + "\n")
                .contains("export TRAINSTREAM_S3_SECRET_KEY=" + value(flags, ConnectionSettings.S3_SECRET_KEY.flag()));
            assertThat(infra.output()).contains("kcat -b " + bootstrap + " -L");
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                admin.createTopics(List.of(new NewTopic("kept", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
                producer.send(new ProducerRecord<>("kept", "k", "written before the stop")).get(30, TimeUnit.SECONDS);
            }
            MinioClient s3 = s3(flags);
            s3.makeBucket(MakeBucketArgs.builder().bucket("kept").build());
            s3.putObject(PutObjectArgs.builder().bucket("kept").object("a/b.txt")
                .stream(new ByteArrayInputStream(body), body.length, -1).build());

            infra.sigterm();
            assertThat(infra.awaitExit(LIMIT)).as("exit status; log:%n%s", infra.output()).isZero();
            assertThat(infra.output()).contains("stopped gracefully", "infra stopped; data kept in " + workDir);
        }

        try (ChildJvm again = InfraProcesses.start(dir.resolve("infra-2.log"), args)) {
            assertThat(InfraProcesses.awaitFlags(again, LIMIT)).as("same address, endpoint and credentials")
                .isEqualTo(flags);
            assertThat(readAll(value(flags, ConnectionSettings.KAFKA_BOOTSTRAP.flag()), "kept", 1))
                .containsExactly("written before the stop");
            try (InputStream in = s3(flags).getObject(GetObjectArgs.builder().bucket("kept").object("a/b.txt").build())) {
                assertThat(in.readAllBytes()).isEqualTo(body);
            }
            again.sigterm();
            assertThat(again.awaitExit(LIMIT)).as("exit status; log:%n%s", again.output()).isZero();
        }
    }

    @Test
    void givenAPortInUse_whenInfraStarts_thenItExitsNon0NamingThePortAndTheOptionBeforeStartingAnything()
        throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            StringWriter err = new StringWriter();
            var cli = TrainstreamCommand.commandLine();
            cli.setErr(new PrintWriter(err));
            Path workDir = dir.resolve("never-started");

            int[] free = freePorts(2);
            int rc = cli.execute(infraArgs(workDir, free[0], free[1], port).toArray(String[]::new));

            assertThat(rc).isEqualTo(TrainstreamCommand.EXIT_BAD_INPUT);
            assertThat(err.toString()).contains("port " + port + " on 127.0.0.1 is already in use",
                "--s3-port (TRAINSTREAM_INFRA_S3_PORT)").doesNotContain("\tat ");
            assertThat(workDir).as("nothing started").doesNotExist();
        }
    }

    @Test
    void givenTheDefaults_whenComparedWithTheServicesConnectionDefaults_thenTheServicesNeedOnlyTheCredentials() {
        URI endpoint = URI.create(ConnectionSettings.S3_ENDPOINT.required());
        assertThat(ConnectionSettings.KAFKA_BOOTSTRAP.required()).isEqualTo("127.0.0.1:" + InfraSettings.KAFKA_PORT
            .required());
        assertThat(endpoint.getHost()).isEqualTo("127.0.0.1");
        assertThat(endpoint.getPort()).isEqualTo(InfraSettings.S3_PORT.defaultInt());

        StringWriter help = new StringWriter();
        var cli = TrainstreamCommand.commandLine();
        cli.setOut(new PrintWriter(help));
        assertThat(cli.execute("infra", "--help")).isZero();
        assertThat(help.toString()).contains("--kafka-port", "TRAINSTREAM_INFRA_KAFKA_PORT", "Default: 9092",
            "--s3-port", "Default: 9000", "--work-dir", "Default: .trainstream/infra");
    }

    static List<String> infraArgs(Path workDir, int kafkaPort, int controllerPort, int s3Port) {
        return List.of("infra", "--work-dir", workDir.toString(), "--kafka-port", Integer.toString(kafkaPort),
            "--controller-port", Integer.toString(controllerPort), "--s3-port", Integer.toString(s3Port));
    }

    /** {@code count} distinct free ports: each socket stays open until all are chosen, so none is handed out twice. */
    static int[] freePorts(int count) throws Exception {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            }
            return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }

    /** infra's arguments on three distinct free ports. */
    static List<String> infraArgsOnFreePorts(Path workDir) throws Exception {
        int[] ports = freePorts(3);
        return infraArgs(workDir, ports[0], ports[1], ports[2]);
    }

    private static String value(List<String> flags, String flag) {
        return flags.get(flags.indexOf(flag) + 1);
    }

    private static MinioClient s3(List<String> flags) {
        return MinioClient.builder().endpoint(value(flags, ConnectionSettings.S3_ENDPOINT.flag()))
            .credentials(value(flags, ConnectionSettings.S3_ACCESS_KEY.flag()),
                value(flags, ConnectionSettings.S3_SECRET_KEY.flag())).build();
    }

    private static List<String> readAll(String bootstrap, String topic, int expected) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ConsumerConfig.GROUP_ID_CONFIG, "infra-command-test",
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + LIMIT.toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }
}
