package dev.trainstream.deploy.validation;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import java.beans.Introspector;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Binds each manifest to its typed model (fabric8 for Kubernetes, Strimzi's api for Kafka/KafkaNodePool) and reports
 * wrong types and unknown fields. The models keep unknown fields in additionalProperties instead of failing, so the
 * whole object graph is walked and every non-empty additionalProperties is an error.
 */
final class StrictModel {
    private static final Map<String, Class<?>> MODELS = Map.ofEntries(
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Secret", Secret.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("v1/PersistentVolumeClaim", PersistentVolumeClaim.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("apps/v1/StatefulSet", StatefulSet.class),
            Map.entry("batch/v1/Job", Job.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("kafka.strimzi.io/v1/Kafka", Kafka.class),
            Map.entry("kafka.strimzi.io/v1/KafkaNodePool", KafkaNodePool.class));
    private static final List<String> MODEL_PACKAGES = List.of("io.fabric8.kubernetes.api.model", "io.strimzi.api");

    private StrictModel() {
    }

    static Set<String> supportedKinds() {
        return MODELS.keySet();
    }

    /** Violations of one manifest (a full object or a kustomize patch); empty when it binds cleanly. */
    static List<String> check(Object manifest) {
        JsonNode json = JsonTrees.toJson(manifest);
        String apiVersion = json.path("apiVersion").asText("");
        String kind = json.path("kind").asText("");
        String label = kind + "/" + json.path("metadata").path("name").asText("?");
        Class<?> model = MODELS.get(apiVersion + "/" + kind);
        if (model == null) {
            return List.of(label + ": no typed model for apiVersion '" + apiVersion + "' kind '" + kind + "'");
        }
        Object bound;
        try {
            bound = JsonTrees.MAPPER.treeToValue(json, model);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return List.of(label + ": does not bind to " + model.getSimpleName() + ": " + e.getOriginalMessage()
                    + " at " + e.getLocation());
        } catch (IllegalArgumentException e) {
            return List.of(label + ": does not bind to " + model.getSimpleName() + ": " + e.getMessage());
        }
        List<String> violations = new ArrayList<>();
        walk(bound, label, violations, Collections.newSetFromMap(new IdentityHashMap<>()));
        return violations;
    }

    private static void walk(Object node, String path, List<String> violations, Set<Object> seen) {
        if (node == null || !seen.add(node)) {
            return;
        }
        if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                walk(list.get(i), path + "[" + i + "]", violations, seen);
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path + "." + k, violations, seen));
            return;
        }
        if (MODEL_PACKAGES.stream().noneMatch(p -> node.getClass().getName().startsWith(p))) {
            return;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (!isGetter(getter)) {
                continue;
            }
            Object value = invoke(getter, node);
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> unknown && !unknown.isEmpty()) {
                    violations.add(path + ": unknown field(s) " + unknown.keySet());
                }
            } else {
                walk(value, path + "." + property(getter), violations, seen);
            }
        }
    }

    private static boolean isGetter(Method method) {
        return method.getParameterCount() == 0 && !Modifier.isStatic(method.getModifiers())
                && method.getName().startsWith("get") && !method.getName().equals("getClass")
                && method.getDeclaringClass() != Object.class
                && (method.getName().equals("getAdditionalProperties")
                    || !method.isAnnotationPresent(com.fasterxml.jackson.annotation.JsonIgnore.class));
    }

    private static String property(Method getter) {
        return Introspector.decapitalize(getter.getName().substring(3));
    }

    private static Object invoke(Method getter, Object target) {
        try {
            return getter.invoke(target);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + getter + " of " + target.getClass().getName(), e);
        }
    }
}
