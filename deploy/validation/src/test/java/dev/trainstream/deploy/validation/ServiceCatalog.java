package dev.trainstream.deploy.validation;

import dev.trainstream.launcher.ConfigurationCatalog;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The environment variables each Trainstream subcommand reads, taken from the launcher's typed configuration. */
record ServiceCatalog(Map<String, Set<String>> variablesBySubcommand) {

    /** Image repositories that run the trainstream launcher (the other images are infrastructure). */
    static final Set<String> TRAINSTREAM_IMAGES = Set.of("trainstream", "trainstream-gpu");

    ServiceCatalog {
        if (variablesBySubcommand == null || variablesBySubcommand.isEmpty()) {
            throw new IllegalArgumentException("variablesBySubcommand must name at least one subcommand");
        }
        Map<String, Set<String>> copy = new TreeMap<>();
        variablesBySubcommand.forEach((k, v) -> copy.put(k, Set.copyOf(v)));
        variablesBySubcommand = Map.copyOf(copy);
    }

    static ServiceCatalog fromLauncher() {
        return new ServiceCatalog(ConfigurationCatalog.environmentBySubcommand());
    }

    Optional<Set<String>> variablesOf(String subcommand) {
        return Optional.ofNullable(variablesBySubcommand.get(subcommand));
    }

    Set<String> subcommands() {
        return new TreeSet<>(variablesBySubcommand.keySet());
    }

    /** True when the image reference (registry/path:tag) names one of the Trainstream images. */
    static boolean isTrainstreamImage(String image) {
        return TRAINSTREAM_IMAGES.contains(ImageReference.parse(image).repositoryName());
    }
}
