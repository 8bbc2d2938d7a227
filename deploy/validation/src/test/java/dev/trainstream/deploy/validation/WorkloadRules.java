package dev.trainstream.deploy.validation;

import dev.trainstream.ops.OpsEndpoints;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Cross-checks Kubernetes workloads with the services: each Trainstream container gets only variables its subcommand
 * reads, probes and scrape annotations use the real health/metrics paths and port, metrics Services reach a port,
 * every image is pinned, and every trainer is a finite run: a Job that never restarts a succeeded pod, naming its
 * run id (so a retry resumes it), which no other trainer shares (a run id is a consumer group and a checkpoint folder).
 */
final class WorkloadRules {
    private static final Set<String> WORKLOADS = Set.of("Deployment", "StatefulSet", "Job");
    private static final String RUN_ID = "TRAINSTREAM_RUN_ID";

    private final ServiceCatalog catalog;
    private final Set<String> imagesTaggedByKustomize;

    /** imagesTaggedByKustomize: names the images transformer pins, so untagged raw references to them are fine. */
    WorkloadRules(ServiceCatalog catalog, Set<String> imagesTaggedByKustomize) {
        if (catalog == null || imagesTaggedByKustomize == null) {
            throw new IllegalArgumentException("catalog and imagesTaggedByKustomize must not be null");
        }
        this.catalog = catalog;
        this.imagesTaggedByKustomize = Set.copyOf(imagesTaggedByKustomize);
    }

    List<String> check(List<Object> objects) {
        List<String> violations = new ArrayList<>();
        Map<String, Map<String, Object>> configMaps = byKind(objects, "ConfigMap");
        Map<String, Map<String, Object>> secrets = byKind(objects, "Secret");
        List<Map<String, Object>> trainstreamPods = new ArrayList<>();
        Map<String, String> trainerRuns = new LinkedHashMap<>();
        for (Map<String, Object> object : maps(objects)) {
            String kind = String.valueOf(object.get("kind"));
            if (!WORKLOADS.contains(kind)) {
                continue;
            }
            String label = kind + "/" + name(object);
            Map<String, Object> template = map(map(object.get("spec")).get("template"));
            Map<String, Object> podSpec = map(template.get("spec"));
            boolean runsTrainstream = false;
            for (Map<String, Object> container : containers(podSpec, "initContainers", "containers")) {
                checkImage(label, container, violations);
            }
            for (Map<String, Object> container : containers(podSpec, "containers")) {
                if (ServiceCatalog.isTrainstreamImage(String.valueOf(container.get("image")))) {
                    runsTrainstream = true;
                    checkTrainstreamContainer(kind, label, template, podSpec, container, configMaps, secrets, violations)
                        .ifPresent(runId -> checkDistinctRun(label, runId, trainerRuns, violations));
                }
            }
            if (runsTrainstream) {
                trainstreamPods.add(template);
            }
        }
        for (Map<String, Object> service : byKind(objects, "Service").values()) {
            checkMetricsService(service, trainstreamPods, violations);
        }
        return violations;
    }

    private void checkImage(String label, Map<String, Object> container, List<String> violations) {
        String image = String.valueOf(container.get("image"));
        ImageReference reference = ImageReference.parse(image);
        boolean tagSetByKustomize = reference.tag().isEmpty() && imagesTaggedByKustomize.contains(reference.repository());
        if (!reference.isPinned() && !tagSetByKustomize) {
            violations.add(label + ": container " + container.get("name") + " image '" + image + "' is not pinned");
        }
    }

    /** Checks one Trainstream container; returns the run id when it is a trainer that names one. */
    private Optional<String> checkTrainstreamContainer(String kind, String label, Map<String, Object> template,
                                                       Map<String, Object> podSpec, Map<String, Object> container,
                                                       Map<String, Map<String, Object>> configMaps,
                                                       Map<String, Map<String, Object>> secrets, List<String> violations) {
        String where = label + " container " + container.get("name");
        List<String> args = strings(container.get("args"));
        if (args.isEmpty()) {
            violations.add(where + ": no subcommand in args");
            return Optional.empty();
        }
        String subcommand = args.get(0);
        Optional<Set<String>> readable = catalog.variablesOf(subcommand);
        if (readable.isEmpty()) {
            violations.add(where + ": '" + subcommand + "' is not a trainstream subcommand " + catalog.subcommands());
            return Optional.empty();
        }
        Map<String, String> environment = environment(where, container, configMaps, secrets, violations);
        for (String variable : environment.keySet()) {
            if (!readable.get().contains(variable)) {
                violations.add(where + ": gets " + variable + " which '" + subcommand + "' does not read");
            }
        }
        int port = port(where, environment.get("TRAINSTREAM_HTTP_PORT"), violations);
        boolean namedHttp = maps(container.get("ports")).stream().anyMatch(p -> "http".equals(p.get("name"))
                && String.valueOf(port).equals(String.valueOf(p.get("containerPort"))));
        if (!namedHttp) {
            violations.add(where + ": needs a port named http with containerPort " + port);
        }
        checkProbe(where, "livenessProbe", container, OpsEndpoints.LIVE, port, true, violations);
        checkProbe(where, "startupProbe", container, OpsEndpoints.LIVE, port, false, violations);
        boolean trainer = "trainer".equals(subcommand);
        // A one-shot ingest needs no readiness; a trainer run is watched like a service while it trains.
        checkProbe(where, "readinessProbe", container, OpsEndpoints.READY, port, !"Job".equals(kind) || trainer, violations);
        Map<String, Object> annotations = map(map(template.get("metadata")).get("annotations"));
        if (!"true".equals(String.valueOf(annotations.get("prometheus.io/scrape")))
                || !String.valueOf(port).equals(String.valueOf(annotations.get("prometheus.io/port")))
                || !OpsEndpoints.METRICS.equals(annotations.get("prometheus.io/path"))) {
            violations.add(where + ": pod needs prometheus.io/scrape=true, port=" + port + ", path=" + OpsEndpoints.METRICS
                    + " but has " + annotations);
        }
        if (trainer && ((Number) podSpec.getOrDefault("terminationGracePeriodSeconds", 30)).intValue() <= 30) {
            violations.add(where + ": terminationGracePeriodSeconds must exceed the 30 s default so a checkpoint can finish");
        }
        if (!trainer) {
            return Optional.empty();
        }
        if (!"Job".equals(kind)) {
            violations.add(where + ": a training run is finite, run the trainer as a Job (a " + kind
                + " restarts a finished run forever)");
        }
        String runId = environment.get(RUN_ID);
        if (runId == null || runId.isBlank()) {
            violations.add(where + ": needs " + RUN_ID + ", or every retry starts a new run instead of resuming");
            return Optional.empty();
        }
        return Optional.of(runId);
    }

    private static void checkDistinctRun(String label, String runId, Map<String, String> trainerRuns, List<String> violations) {
        String other = trainerRuns.putIfAbsent(runId, label);
        if (other != null) {
            violations.add(label + ": shares " + RUN_ID + "=" + runId + " with " + other
                + " (one consumer group and checkpoint folder for two runs)");
        }
    }

    private static Map<String, String> environment(String where, Map<String, Object> container,
                                                   Map<String, Map<String, Object>> configMaps,
                                                   Map<String, Map<String, Object>> secrets, List<String> violations) {
        Map<String, String> environment = new LinkedHashMap<>();
        for (Map<String, Object> source : maps(container.get("envFrom"))) {
            String kind = source.containsKey("configMapRef") ? "configMapRef" : "secretRef";
            String name = String.valueOf(map(source.get(kind)).get("name"));
            Map<String, Object> referenced = kind.equals("configMapRef") ? configMaps.get(name) : secrets.get(name);
            if (referenced == null) {
                violations.add(where + ": envFrom " + kind + " '" + name + "' is not among the manifests, its keys cannot be checked");
                continue;
            }
            Map<String, Object> data = new LinkedHashMap<>(map(referenced.get("data")));
            data.putAll(map(referenced.get("stringData")));
            data.forEach((key, value) -> environment.put(key, String.valueOf(value)));
        }
        for (Map<String, Object> variable : maps(container.get("env"))) {
            Object value = variable.get("value");
            environment.put(String.valueOf(variable.get("name")), value == null ? null : String.valueOf(value));
        }
        return environment;
    }

    private static int port(String where, String configured, List<String> violations) {
        if (configured == null) {
            return OpsEndpoints.DEFAULT_PORT;
        }
        try {
            return Integer.parseInt(configured.strip());
        } catch (NumberFormatException e) {
            violations.add(where + ": TRAINSTREAM_HTTP_PORT '" + configured + "' is not a port number");
            return -1;
        }
    }

    private static void checkProbe(String where, String probeName, Map<String, Object> container, String path, int port,
                                   boolean required, List<String> violations) {
        Object raw = container.get(probeName);
        if (raw == null) {
            if (required) {
                violations.add(where + ": missing " + probeName);
            }
            return;
        }
        Map<String, Object> httpGet = map(map(raw).get("httpGet"));
        String probePort = String.valueOf(httpGet.get("port"));
        if (!path.equals(httpGet.get("path")) || !(probePort.equals("http") || probePort.equals(String.valueOf(port)))) {
            violations.add(where + ": " + probeName + " must GET " + path + " on port http/" + port + " but has " + httpGet);
        }
    }

    private static void checkMetricsService(Map<String, Object> service, List<Map<String, Object>> pods, List<String> violations) {
        Map<String, Object> selector = map(map(service.get("spec")).get("selector"));
        List<Map<String, Object>> selected = pods.stream()
                .filter(pod -> !selector.isEmpty() && map(map(pod.get("metadata")).get("labels")).entrySet().containsAll(selector.entrySet()))
                .toList();
        if (selected.isEmpty()) {
            return;
        }
        String label = "Service/" + name(service);
        Set<String> containerPorts = new LinkedHashSet<>();
        for (Map<String, Object> pod : selected) {
            for (Map<String, Object> container : containers(map(pod.get("spec")), "containers")) {
                for (Map<String, Object> port : maps(container.get("ports"))) {
                    containerPorts.add(String.valueOf(port.get("name")));
                    containerPorts.add(String.valueOf(port.get("containerPort")));
                }
            }
        }
        for (Map<String, Object> port : maps(map(service.get("spec")).get("ports"))) {
            String target = String.valueOf(port.getOrDefault("targetPort", port.get("port")));
            if (!containerPorts.contains(target)) {
                violations.add(label + ": targetPort " + target + " matches no port of the selected pods " + containerPorts);
            }
        }
        Map<String, Object> annotations = map(map(service.get("metadata")).get("annotations"));
        if (annotations.containsKey("prometheus.io/path") && !OpsEndpoints.METRICS.equals(annotations.get("prometheus.io/path"))) {
            violations.add(label + ": prometheus.io/path must be " + OpsEndpoints.METRICS);
        }
    }

    private static Map<String, Map<String, Object>> byKind(List<Object> objects, String kind) {
        Map<String, Map<String, Object>> found = new LinkedHashMap<>();
        for (Map<String, Object> object : maps(objects)) {
            if (kind.equals(object.get("kind"))) {
                found.put(name(object), object);
            }
        }
        return found;
    }

    private static List<Map<String, Object>> containers(Map<String, Object> podSpec, String... fields) {
        List<Map<String, Object>> containers = new ArrayList<>();
        for (String field : fields) {
            containers.addAll(maps(podSpec.get(field)));
        }
        return containers;
    }

    private static String name(Map<String, Object> object) {
        return String.valueOf(map(object.get("metadata")).get("name"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> maps(Object value) {
        List<Map<String, Object>> maps = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.stream().filter(Map.class::isInstance).forEach(item -> maps.add((Map<String, Object>) item));
        }
        return maps;
    }

    private static List<String> strings(Object value) {
        List<String> strings = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.forEach(item -> strings.add(String.valueOf(item)));
        }
        return strings;
    }
}
