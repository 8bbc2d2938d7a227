package dev.trainstream.deploy.validation;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** One Compose file as loaded, or the effective model of several files merged the way `docker compose -f a -f b` does. */
record ComposeFile(Map<String, Object> root) {

    ComposeFile {
        if (root == null) {
            throw new IllegalArgumentException("root must not be null");
        }
    }

    static ComposeFile load(Path file) {
        return new ComposeFile(YamlDocuments.loadMap(file));
    }

    /** Services by name, in file order. */
    @SuppressWarnings("unchecked")
    Map<String, ComposeService> services() {
        Map<String, ComposeService> services = new LinkedHashMap<>();
        Object raw = JsonTrees.untag(root.get("services"));
        if (raw instanceof Map<?, ?> map) {
            map.forEach((name, definition) -> services.put(String.valueOf(name),
                    new ComposeService(String.valueOf(name), (Map<String, Object>) definition)));
        }
        return services;
    }

    /**
     * Compose merge: mappings merge key by key, !reset removes, !override and everything else replaces. (Compose
     * appends some sequences such as ports; none of this project's overrides relies on that.)
     */
    ComposeFile overriddenBy(ComposeFile override) {
        return new ComposeFile(mergeMaps(root, override.root()));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mergeMaps(Map<String, Object> base, Map<String, Object> override) {
        Map<String, Object> merged = new LinkedHashMap<>(JsonTrees.deepCopy(base));
        override.forEach((key, value) -> {
            if (value instanceof YamlDocuments.Tagged tagged) {
                if (tagged.isReset()) {
                    merged.remove(key);
                } else {
                    merged.put(key, JsonTrees.deepCopy(tagged.value()));
                }
            } else if (value instanceof Map<?, ?> map && merged.get(key) instanceof Map<?, ?> existing) {
                merged.put(key, mergeMaps((Map<String, Object>) existing, (Map<String, Object>) map));
            } else {
                merged.put(key, JsonTrees.deepCopy(value));
            }
        });
        return merged;
    }
}
