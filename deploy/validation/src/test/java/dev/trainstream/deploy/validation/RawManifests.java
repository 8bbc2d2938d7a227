package dev.trainstream.deploy.validation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The kustomization files read without kubectl: full resources (base first, then overlay), patches on their own,
 * ConfigMaps/Secrets built from the generators (merged or replaced by name, without hash suffixes), a kustomization's
 * nameSuffix applied to what it and its folders produce (and to the ConfigMap references among them), and the image
 * names the images transformer pins.
 */
record RawManifests(List<Object> resources, List<Object> patches, Set<String> imagesTaggedByKustomize) {

    @SuppressWarnings("unchecked")
    static RawManifests read(Path kustomizationDir) {
        List<Object> resources = new ArrayList<>();
        List<Object> patches = new ArrayList<>();
        Set<String> images = new TreeSet<>();
        Map<String, Map<String, Object>> generated = new LinkedHashMap<>();
        collect(kustomizationDir, resources, patches, images, generated);
        generated.values().forEach(resources::add);
        return new RawManifests(List.copyOf(resources), List.copyOf(patches), Set.copyOf(images));
    }

    /** Adds what {@code dir} produces to {@code resources} and {@code generated} (keyed kind/name). */
    @SuppressWarnings("unchecked")
    private static void collect(Path dir, List<Object> resources, List<Object> patches, Set<String> images,
                                Map<String, Map<String, Object>> generated) {
        Map<String, Object> kustomization = YamlDocuments.loadMap(dir.resolve("kustomization.yaml"));
        List<Object> ownResources = new ArrayList<>();
        Map<String, Map<String, Object>> ownGenerated = new LinkedHashMap<>();
        for (Object entry : list(kustomization.get("resources"))) {
            Path target = dir.resolve(String.valueOf(entry)).normalize();
            if (Files.isDirectory(target)) {
                collect(target, ownResources, patches, images, ownGenerated);
            } else {
                ownResources.addAll(YamlDocuments.loadAll(target));
            }
        }
        for (Object entry : list(kustomization.get("patches"))) {
            Object path = ((Map<String, Object>) entry).get("path");
            if (path != null) {
                patches.addAll(YamlDocuments.loadAll(dir.resolve(String.valueOf(path))));
            }
        }
        for (Object entry : list(kustomization.get("images"))) {
            images.add(String.valueOf(((Map<String, Object>) entry).get("name")));
        }
        generate(dir, "ConfigMap", list(kustomization.get("configMapGenerator")), ownGenerated);
        generate(dir, "Secret", list(kustomization.get("secretGenerator")), ownGenerated);
        Object suffix = kustomization.get("nameSuffix");
        if (suffix != null) {
            applySuffix(String.valueOf(suffix), ownResources, ownGenerated);
        }
        resources.addAll(ownResources);
        ownGenerated.forEach((key, object) -> {
            Map<String, Object> existing = generated.putIfAbsent(key, object);
            if (existing != null) {
                ((Map<String, Object>) existing.get("data")).putAll((Map<String, Object>) object.get("data"));
            }
        });
    }

    /**
     * What kustomize's nameSuffix does to the objects below one kustomization: every name gets the suffix, and so do
     * the ConfigMap references (envFrom, configMapKeyRef) to ConfigMaps generated there.
     */
    @SuppressWarnings("unchecked")
    private static void applySuffix(String suffix, List<Object> resources, Map<String, Map<String, Object>> generated) {
        Set<String> configMaps = new TreeSet<>();
        Map<String, Map<String, Object>> renamed = new LinkedHashMap<>();
        generated.forEach((key, object) -> {
            Map<String, Object> metadata = (Map<String, Object>) object.get("metadata");
            String name = String.valueOf(metadata.get("name"));
            if ("ConfigMap".equals(object.get("kind"))) {
                configMaps.add(name);
            }
            metadata.put("name", name + suffix);
            renamed.put(object.get("kind") + "/" + name + suffix, object);
        });
        generated.clear();
        generated.putAll(renamed);
        for (Object resource : resources) {
            Map<String, Object> metadata = (Map<String, Object>) ((Map<String, Object>) resource).get("metadata");
            metadata.put("name", metadata.get("name") + suffix);
            renameConfigMapReferences(resource, configMaps, suffix);
        }
    }

    @SuppressWarnings("unchecked")
    private static void renameConfigMapReferences(Object node, Set<String> configMaps, String suffix) {
        if (node instanceof Map<?, ?> map) {
            for (String field : List.of("configMapRef", "configMapKeyRef")) {
                if (map.get(field) instanceof Map<?, ?> reference && configMaps.contains(String.valueOf(reference.get("name")))) {
                    ((Map<String, Object>) reference).put("name", reference.get("name") + suffix);
                }
            }
            map.values().forEach(value -> renameConfigMapReferences(value, configMaps, suffix));
        } else if (node instanceof List<?> items) {
            items.forEach(item -> renameConfigMapReferences(item, configMaps, suffix));
        }
    }

    @SuppressWarnings("unchecked")
    private static void generate(Path dir, String kind, List<Object> generators, Map<String, Map<String, Object>> generated) {
        for (Object raw : generators) {
            Map<String, Object> generator = (Map<String, Object>) raw;
            String name = String.valueOf(generator.get("name"));
            Map<String, Object> object = generated.computeIfAbsent(kind + "/" + name, key -> {
                Map<String, Object> created = new LinkedHashMap<>();
                created.put("apiVersion", "v1");
                created.put("kind", kind);
                created.put("metadata", new LinkedHashMap<>(Map.of("name", name)));
                created.put("data", new LinkedHashMap<String, Object>());
                return created;
            });
            Map<String, Object> data = (Map<String, Object>) object.get("data");
            if ("replace".equals(generator.get("behavior"))) {
                data.clear();
            }
            for (Object envFile : list(generator.get("envs"))) {
                data.putAll(envFileEntries(dir.resolve(String.valueOf(envFile))));
            }
            for (Object literal : list(generator.get("literals"))) {
                String text = String.valueOf(literal);
                int eq = text.indexOf('=');
                data.put(text.substring(0, eq), text.substring(eq + 1));
            }
            for (Object file : list(generator.get("files"))) {
                Path path = dir.resolve(String.valueOf(file));
                data.put(path.getFileName().toString(), text(path));
            }
        }
    }

    static Map<String, String> envFileEntries(Path file) {
        Map<String, String> entries = new LinkedHashMap<>();
        for (String line : text(file).split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int eq = trimmed.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(file + ": not KEY=value: " + line);
            }
            entries.put(trimmed.substring(0, eq), trimmed.substring(eq + 1));
        }
        return entries;
    }

    private static String text(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static List<Object> list(Object value) {
        return value instanceof List<?> list ? new ArrayList<>(list) : List.of();
    }
}
