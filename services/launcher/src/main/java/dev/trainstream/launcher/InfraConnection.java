package dev.trainstream.launcher;

import dev.trainstream.infra.LocalInfrastructure;
import dev.trainstream.ops.config.ConnectionSettings;
import dev.trainstream.ops.config.Setting;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a service needs to reach {@code trainstream infra}, as the connection settings every service reads
 * ({@link ConnectionSettings}): the same values spelled as its variables and as its flags, so what is printed is
 * exactly what a user sets.
 *
 * @param values each connection setting the services must be given, with its value
 */
record InfraConnection(Map<Setting, String> values) {
    /** The name of the file, in the work directory, holding the {@code export} lines. */
    static final String ENV_FILE = "env";

    InfraConnection {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The running infrastructure's bootstrap address, endpoint and credentials. */
    static InfraConnection of(LocalInfrastructure infra) {
        Map<Setting, String> values = new LinkedHashMap<>();
        values.put(ConnectionSettings.KAFKA_BOOTSTRAP, infra.kafka().bootstrapServers());
        values.put(ConnectionSettings.S3_ENDPOINT, infra.s3().endpoint().toString());
        values.put(ConnectionSettings.S3_ACCESS_KEY, infra.s3().accessKey());
        values.put(ConnectionSettings.S3_SECRET_KEY, infra.s3().secretKey());
        return new InfraConnection(values);
    }

    /** {@code export VARIABLE=value}, one per setting. */
    List<String> exports() {
        List<String> lines = new ArrayList<>();
        values.forEach((setting, value) -> lines.add("export " + setting.env() + "=" + value));
        return lines;
    }

    /** {@code --flag value ...}, as a service's command line takes them. */
    List<String> flags() {
        List<String> args = new ArrayList<>();
        values.forEach((setting, value) -> {
            args.add(setting.flag());
            args.add(value);
        });
        return args;
    }

    /** The bootstrap address (for kcat). */
    String kafkaBootstrap() {
        return values.get(ConnectionSettings.KAFKA_BOOTSTRAP);
    }

    /** The S3 endpoint. */
    String s3Endpoint() {
        return values.get(ConnectionSettings.S3_ENDPOINT);
    }

    /** What {@code trainstream infra} prints once both servers answer. */
    List<String> instructions(Path workDir) {
        List<String> lines = new ArrayList<>();
        lines.add("Kafka broker at " + kafkaBootstrap() + ", S3 server at " + s3Endpoint() + " (data in " + workDir
            + ", kept across restarts)");
        lines.add("Services in other terminals: set these variables (or run: source " + workDir.resolve(ENV_FILE) + ")");
        exports().forEach(line -> lines.add("  " + line));
        lines.add("or pass these flags:");
        lines.add("  " + String.join(" ", flags()));
        lines.add("kcat: kcat -b " + kafkaBootstrap() + " -L");
        lines.add("other S3 clients: endpoint " + s3Endpoint() + ", path-style, region "
            + ConnectionSettings.S3_REGION.required() + ", bucket " + ConnectionSettings.S3_BUCKET.required()
            + " (the first service creates it)");
        lines.add("Stop with Ctrl-C.");
        return lines;
    }

    /**
     * Writes the {@code export} lines to {@code workDir}/{@value #ENV_FILE} (readable by the owner only: it holds the
     * secret key), replacing the previous start's.
     */
    void writeEnvFile(Path workDir) throws IOException {
        Path file = workDir.resolve(ENV_FILE);
        Path staged = workDir.resolve(ENV_FILE + ".tmp");
        Files.deleteIfExists(staged);
        Files.createFile(staged, ownerOnly(workDir));
        Files.writeString(staged, String.join("\n", exports()) + "\n", StandardCharsets.UTF_8);
        Files.move(staged, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static FileAttribute<?>[] ownerOnly(Path dir) {
        if (!dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[0];
        }
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))};
    }
}
