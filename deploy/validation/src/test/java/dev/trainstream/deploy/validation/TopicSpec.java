package dev.trainstream.deploy.validation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A Kafka topic as deployment files create it: name, partitions and topic configs (replication is per environment). */
record TopicSpec(String name, int partitions, Map<String, String> configs) {

    TopicSpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions of " + name + " must be >= 1, got " + partitions);
        }
        configs = Map.copyOf(configs == null ? Map.of() : new TreeMap<>(configs));
    }

    /** The Kafka channel bindings of schemas/asyncapi.yaml (topic name, partitions, topicConfiguration). */
    @SuppressWarnings("unchecked")
    static Map<String, TopicSpec> fromAsyncApi(Path asyncApi) {
        Map<String, Object> document = YamlDocuments.loadMap(asyncApi);
        Map<String, TopicSpec> topics = new LinkedHashMap<>();
        Object channels = document.get("channels");
        if (!(channels instanceof Map<?, ?> channelMap)) {
            throw new IllegalArgumentException(asyncApi + " has no channels");
        }
        channelMap.forEach((id, rawChannel) -> {
            Map<String, Object> channel = (Map<String, Object>) rawChannel;
            if (!(channel.get("bindings") instanceof Map<?, ?> bindings) || !(bindings.get("kafka") instanceof Map<?, ?> kafka)) {
                return;
            }
            String name = String.valueOf(kafka.get("topic") != null ? kafka.get("topic") : channel.get("address"));
            if (!(kafka.get("partitions") instanceof Number partitions)) {
                throw new IllegalArgumentException("channel " + id + " in " + asyncApi + " has no numeric partitions binding");
            }
            Map<String, String> configs = new TreeMap<>();
            if (kafka.get("topicConfiguration") instanceof Map<?, ?> configuration) {
                configuration.forEach((key, value) -> configs.put(String.valueOf(key), configValue(value)));
            }
            topics.put(name, new TopicSpec(name, partitions.intValue(), configs));
        });
        return topics;
    }

    /** Replication factor of every Kafka channel binding in the AsyncAPI file (the production value). */
    @SuppressWarnings("unchecked")
    static List<Integer> replicasInAsyncApi(Path asyncApi) {
        List<Integer> replicas = new ArrayList<>();
        Map<String, Object> channels = (Map<String, Object>) YamlDocuments.loadMap(asyncApi).get("channels");
        channels.values().forEach(raw -> {
            if (((Map<String, Object>) raw).get("bindings") instanceof Map<?, ?> bindings
                    && bindings.get("kafka") instanceof Map<?, ?> kafka && kafka.get("replicas") instanceof Number n) {
                replicas.add(n.intValue());
            }
        });
        return replicas;
    }

    /** deploy/k8s/base/topics/topics.txt: "name partitions key=value,key=value", '#' comments. */
    static Map<String, TopicSpec> fromTopicsFile(Path file) {
        try {
            return fromTopicsText(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static Map<String, TopicSpec> fromTopicsText(String text) {
        Map<String, TopicSpec> topics = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] fields = trimmed.split("\\s+");
            if (fields.length < 2 || fields.length > 3) {
                throw new IllegalArgumentException("topics line needs 'name partitions [configs]': " + line);
            }
            Map<String, String> configs = new TreeMap<>();
            if (fields.length == 3) {
                for (String pair : fields[2].split(",")) {
                    int eq = pair.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("topic config must be key=value: " + pair);
                    }
                    configs.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
            if (topics.put(fields[0], new TopicSpec(fields[0], Integer.parseInt(fields[1]), configs)) != null) {
                throw new IllegalArgumentException("topic listed twice: " + fields[0]);
            }
        }
        return topics;
    }

    /** Differences between the expected topics and the actual ones, one line each. */
    static List<String> differences(Map<String, TopicSpec> expected, Map<String, TopicSpec> actual) {
        List<String> differences = new ArrayList<>();
        expected.forEach((name, spec) -> {
            TopicSpec other = actual.get(name);
            if (other == null) {
                differences.add("missing topic " + name);
            } else if (!other.equals(spec)) {
                differences.add("topic " + name + ": expected " + spec + " but found " + other);
            }
        });
        actual.keySet().stream().filter(name -> !expected.containsKey(name))
                .forEach(name -> differences.add("unexpected topic " + name));
        return differences;
    }

    private static String configValue(Object value) {
        if (value instanceof List<?> list) {
            return String.join(",", list.stream().map(String::valueOf).toList());
        }
        return String.valueOf(value);
    }
}
