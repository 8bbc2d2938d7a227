package dev.trainstream.deploy.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Converts loaded YAML (maps, lists, Compose tags) to Jackson trees and makes deep copies to plant errors in. */
final class JsonTrees {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonTrees() {
    }

    static JsonNode toJson(Object yaml) {
        return MAPPER.valueToTree(untag(yaml));
    }

    /** Replaces Compose tags by their values, as the Compose schema sees the file. */
    static Object untag(Object value) {
        if (value instanceof YamlDocuments.Tagged tagged) {
            return untag(tagged.value());
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), untag(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(item -> copy.add(untag(item)));
            return copy;
        }
        return value;
    }

    /** Deep, mutable copy (tags kept) so a test can plant an error without touching the parsed original. */
    @SuppressWarnings("unchecked")
    static <T> T deepCopy(T value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), deepCopy(v)));
            return (T) copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(item -> copy.add(deepCopy(item)));
            return (T) copy;
        }
        return value;
    }

    /** Navigates a dotted path of map keys and list indices ("spec.template.spec.containers.0"). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> at(Object root, String path) {
        Object current = root;
        for (String part : path.split("\\.")) {
            if (current instanceof List<?> list) {
                current = list.get(Integer.parseInt(part));
            } else if (current instanceof Map<?, ?> map) {
                current = map.get(part);
            } else {
                throw new IllegalArgumentException("no " + path + ": stopped at " + part);
            }
        }
        if (!(current instanceof Map)) {
            throw new IllegalArgumentException(path + " is not a mapping: " + current);
        }
        return (Map<String, Object>) current;
    }
}
