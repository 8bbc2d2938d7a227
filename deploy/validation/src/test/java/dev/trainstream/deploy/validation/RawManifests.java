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
 * ConfigMaps/Secrets built from the generators (merged by name, without hash suffixes), and the image names the
 * images transformer pins.
 */
record RawManifests(List<Object> resources, List<Object> patches, Set<String> imagesTaggedByKustomize) {

    @SuppressWarnings("unchecked")
    static RawManifests read(Path kustomizationDir) {
        List<Object> resources = new ArrayList<>();
        List<Object> patches = new ArrayList<>();
        Set<String> images = new TreeSet<>();
        Map<String, Map<String, Object>> generated = new LinkedHashMap<>();
        collect(kustomizationDir, resources, patches, images, generated);
        resources.addAll(generated.values());
        return new RawManifests(List.copyOf(resources), List.copyOf(patches), Set.copyOf(images));
    }

    @SuppressWarnings("unchecked")
    private static void collect(Path dir, List<Object> resources, List<Object> patches, Set<String> images,
                                Map<String, Map<String, Object>> generated) {
        Map<String, Object> kustomization = YamlDocuments.loadMap(dir.resolve("kustomization.yaml"));
        for (Object entry : list(kustomization.get("resources"))) {
            Path target = dir.resolve(String.valueOf(entry)).normalize();
            if (Files.isDirectory(target)) {
                collect(target, resources, patches, images, generated);
            } else {
                resources.addAll(YamlDocuments.loadAll(target));
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
        generate(dir, "ConfigMap", list(kustomization.get("configMapGenerator")), generated);
        generate(dir, "Secret", list(kustomization.get("secretGenerator")), generated);
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
