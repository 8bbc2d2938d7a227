package dev.trainstream.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded broker and S3 server are real: the stock clients can use them, and they survive a restart. */
class LocalInfrastructureTest {
    @TempDir
    Path workDir;

    @Test
    void givenStartedInfrastructure_whenUsingRealClients_thenRecordsAndObjectsRoundTripAcrossRestarts() throws Exception {
        try (LocalInfrastructure infra = LocalInfrastructure.start(workDir)) {
            String bootstrap = infra.kafka().bootstrapServers();
            try (Admin admin = Admin.create(adminProps(bootstrap))) {
                admin.createTopics(List.of(new NewTopic("probe", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            produce(bootstrap, "before-restart");
            infra.kafka().restart();
            produce(bootstrap, "after-restart");
            assertThat(consumeAll(bootstrap, 2)).containsExactly("before-restart", "after-restart");

            MinioClient minio = MinioClient.builder()
                .endpoint(infra.s3().endpoint().toString())
                .credentials(infra.s3().accessKey(), infra.s3().secretKey())
                .build();
            minio.makeBucket(MakeBucketArgs.builder().bucket("probe").build());
            byte[] body = "hello s3".getBytes(StandardCharsets.UTF_8);
            minio.putObject(PutObjectArgs.builder().bucket("probe").object("a/b.txt")
                .stream(new ByteArrayInputStream(body), body.length, -1).build());
            infra.s3().stop();
            infra.s3().start();
            assertThat(minio.bucketExists(BucketExistsArgs.builder().bucket("probe").build())).isTrue();
            try (InputStream in = minio.getObject(GetObjectArgs.builder().bucket("probe").object("a/b.txt").build())) {
                assertThat(in.readAllBytes()).isEqualTo(body);
            }
        }
    }

    @Test
    void givenFixedPorts_whenStoppedAndStartedAgainOnTheSameWorkDir_thenTopicsObjectsPortsAndCredentialsAreKept()
        throws Exception {
        LocalInfrastructure.Ports ports = new LocalInfrastructure.Ports(FreePorts.pick(), FreePorts.pick(),
            FreePorts.pick());
        byte[] body = "kept across restarts".getBytes(StandardCharsets.UTF_8);
        String accessKey;
        String secretKey;
        try (LocalInfrastructure infra = LocalInfrastructure.start(workDir, ports)) {
            assertThat(infra.kafka().bootstrapServers()).isEqualTo("127.0.0.1:" + ports.kafka());
            assertThat(infra.s3().endpoint().getPort()).isEqualTo(ports.s3());
            try (Admin admin = Admin.create(adminProps(infra.kafka().bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("probe", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            produce(infra.kafka().bootstrapServers(), "written-before-stop");
            MinioClient minio = client(infra);
            minio.makeBucket(MakeBucketArgs.builder().bucket("kept").build());
            minio.putObject(PutObjectArgs.builder().bucket("kept").object("runs/r/step-1.ckpt")
                .stream(new ByteArrayInputStream(body), body.length, -1).build());
            accessKey = infra.s3().accessKey();
            secretKey = infra.s3().secretKey();
        }

        try (LocalInfrastructure again = LocalInfrastructure.start(workDir, ports)) {
            assertThat(again.s3().accessKey()).as("credentials kept").isEqualTo(accessKey);
            assertThat(again.s3().secretKey()).isEqualTo(secretKey);
            assertThat(consumeAll(again.kafka().bootstrapServers(), 1)).containsExactly("written-before-stop");
            try (InputStream in = client(again).getObject(GetObjectArgs.builder().bucket("kept")
                .object("runs/r/step-1.ckpt").build())) {
                assertThat(in.readAllBytes()).isEqualTo(body);
            }
        }
    }

    @Test
    void givenACredentialsFile_whenReadBack_thenItIsOwnerOnlyAndTheSame() throws Exception {
        Path file = workDir.resolve("nested").resolve(LocalInfrastructure.CREDENTIALS_FILE);
        S3Credentials created = S3Credentials.keptIn(file);
        assertThat(S3Credentials.keptIn(file)).isEqualTo(created);
        assertThat(Files.getPosixFilePermissions(file))
            .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(created.toString()).doesNotContain(created.secretKey());
    }

    @Test
    void givenTwoEqualPorts_whenDeclared_thenRejectedNamingThem() {
        assertThatThrownBy(() -> new LocalInfrastructure.Ports(9092, 9092, 9000))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("9092, 9092, 9000");
    }

    @Test
    void givenWrongCredentials_whenCallingS3_thenRequestIsRejected() throws Exception {
        try (EmbeddedS3 s3 = EmbeddedS3.start(workDir.resolve("s3"))) {
            MinioClient intruder = MinioClient.builder().endpoint(s3.endpoint().toString())
                .credentials("nobody", "wrong-secret-value").build();
            org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> intruder.makeBucket(MakeBucketArgs.builder().bucket("nope").build()))
                .isInstanceOf(io.minio.errors.ErrorResponseException.class);
        }
    }

    @Test
    void givenRelativeDataDirectory_whenUploadingInParts_thenObjectIsStored() throws Exception {
        // The MinIO client uploads objects over 5 MiB in parts; `up` starts the server under a relative directory.
        Path relative = Path.of("target", "relative-s3-" + System.nanoTime());
        assertThat(relative.isAbsolute()).isFalse();
        byte[] body = new byte[12 * 1024 * 1024];
        new java.util.Random(7).nextBytes(body);
        try (EmbeddedS3 s3 = EmbeddedS3.start(relative)) {
            MinioClient minio = MinioClient.builder().endpoint(s3.endpoint().toString())
                .credentials(s3.accessKey(), s3.secretKey()).build();
            minio.makeBucket(MakeBucketArgs.builder().bucket("probe").build());
            minio.putObject(PutObjectArgs.builder().bucket("probe").object("shards/big.shard")
                .stream(new ByteArrayInputStream(body), body.length, -1).build());
            try (InputStream in = minio.getObject(GetObjectArgs.builder().bucket("probe").object("shards/big.shard").build())) {
                assertThat(in.readAllBytes()).isEqualTo(body);
            }
        }
    }

    private static MinioClient client(LocalInfrastructure infra) {
        return MinioClient.builder().endpoint(infra.s3().endpoint().toString())
            .credentials(infra.s3().accessKey(), infra.s3().secretKey()).build();
    }

    private static Properties adminProps(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return p;
    }

    private static void produce(String bootstrap, String value) throws Exception {
        Properties p = adminProps(bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            producer.send(new ProducerRecord<>("probe", "k", value)).get(30, TimeUnit.SECONDS);
        }
    }

    private static List<String> consumeAll(String bootstrap, int expected) {
        Properties p = adminProps(bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "probe-reader");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<String> values = new java.util.ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of("probe"));
            while (values.size() < expected && System.nanoTime() < deadline) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));
                records.forEach(r -> values.add(r.value()));
            }
        }
        return values;
    }
}
