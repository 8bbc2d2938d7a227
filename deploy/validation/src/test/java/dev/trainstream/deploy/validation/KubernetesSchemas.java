package dev.trainstream.deploy.validation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** Finds the schema of a Kubernetes object in a kubeconform-style folder tree: {kind}-{group}-{version}.json. */
final class KubernetesSchemas {
    private final List<Path> files;
    private final Map<Path, SchemaCheck> compiled = new HashMap<>();

    KubernetesSchemas(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            this.files = walk.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list schemas under " + root, e);
        }
    }

    /** "apps/v1" + Deployment gives deployment-apps-v1.json; "v1" + Service gives service-v1.json. */
    static String fileName(String apiVersion, String kind) {
        String k = kind.toLowerCase(Locale.ROOT);
        int slash = apiVersion.indexOf('/');
        if (slash < 0) {
            return k + "-" + apiVersion + ".json";
        }
        String group = apiVersion.substring(0, slash);
        String shortGroup = group.contains(".") ? group.substring(0, group.indexOf('.')) : group;
        return k + "-" + shortGroup + "-" + apiVersion.substring(slash + 1) + ".json";
    }

    Optional<SchemaCheck> schemaFor(String apiVersion, String kind) {
        String name = fileName(apiVersion, kind);
        return files.stream().filter(p -> p.getFileName().toString().equals(name)).findFirst()
                .map(path -> compiled.computeIfAbsent(path, SchemaCheck::closed));
    }
}
