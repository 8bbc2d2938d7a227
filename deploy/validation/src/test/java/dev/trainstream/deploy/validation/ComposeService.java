package dev.trainstream.deploy.validation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Typed read access to one Compose service definition (both the short and the long syntaxes Compose accepts). */
record ComposeService(String name, Map<String, Object> definition) {

    ComposeService {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        if (definition == null) {
            throw new IllegalArgumentException("service " + name + " has no definition");
        }
    }

    Optional<String> image() {
        return Optional.ofNullable(definition.get("image")).map(String::valueOf);
    }

    Optional<String> dockerfile() {
        if (definition.get("build") instanceof Map<?, ?> build) {
            Object dockerfile = build.get("dockerfile");
            return Optional.of(dockerfile == null ? "Dockerfile" : String.valueOf(dockerfile));
        }
        return Optional.empty();
    }

    List<String> command() {
        return strings(definition.get("command"));
    }

    /** Environment as a map; the list form "KEY=value" (or bare "KEY") is accepted too. */
    Map<String, String> environment() {
        Map<String, String> environment = new LinkedHashMap<>();
        Object raw = definition.get("environment");
        if (raw instanceof Map<?, ?> map) {
            map.forEach((k, v) -> environment.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
        } else if (raw instanceof List<?> list) {
            for (Object item : list) {
                String entry = String.valueOf(item);
                int eq = entry.indexOf('=');
                environment.put(eq < 0 ? entry : entry.substring(0, eq), eq < 0 ? null : entry.substring(eq + 1));
            }
        }
        return environment;
    }

    List<String> healthcheckTest() {
        if (definition.get("healthcheck") instanceof Map<?, ?> healthcheck) {
            return strings(healthcheck.get("test"));
        }
        return List.of();
    }

    /** Container-side port of each published port ("127.0.0.1:8081:8080/tcp" gives 8080). */
    List<Integer> publishedContainerPorts() {
        List<Integer> ports = new ArrayList<>();
        if (definition.get("ports") instanceof List<?> list) {
            for (Object port : list) {
                if (port instanceof Map<?, ?> longSyntax) {
                    ports.add(Integer.parseInt(String.valueOf(longSyntax.get("target"))));
                } else {
                    String spec = String.valueOf(port).replaceAll("/(tcp|udp)$", "");
                    ports.add(Integer.parseInt(spec.substring(spec.lastIndexOf(':') + 1)));
                }
            }
        }
        return ports;
    }

    /** depends_on target to condition; the list form means service_started. */
    Map<String, String> dependsOn() {
        Map<String, String> dependencies = new LinkedHashMap<>();
        Object raw = definition.get("depends_on");
        if (raw instanceof List<?> list) {
            list.forEach(target -> dependencies.put(String.valueOf(target), "service_started"));
        } else if (raw instanceof Map<?, ?> map) {
            map.forEach((target, spec) -> dependencies.put(String.valueOf(target), spec instanceof Map<?, ?> s
                    ? String.valueOf(s.containsKey("condition") ? s.get("condition") : "service_started")
                    : "service_started"));
        }
        return dependencies;
    }

    /** Drivers of deploy.resources.reservations.devices (e.g. "nvidia"). */
    List<String> reservedDeviceDrivers() {
        List<String> drivers = new ArrayList<>();
        if (definition.get("deploy") instanceof Map<?, ?> deploy
                && deploy.get("resources") instanceof Map<?, ?> resources
                && resources.get("reservations") instanceof Map<?, ?> reservations
                && reservations.get("devices") instanceof List<?> devices) {
            for (Object device : devices) {
                if (device instanceof Map<?, ?> d) {
                    drivers.add(String.valueOf(d.get("driver")));
                }
            }
        }
        return drivers;
    }

    boolean hasHealthcheck() {
        return !healthcheckTest().isEmpty();
    }

    private static List<String> strings(Object raw) {
        List<String> values = new ArrayList<>();
        if (raw instanceof List<?> list) {
            list.forEach(item -> values.add(String.valueOf(item)));
        } else if (raw != null) {
            values.add(String.valueOf(raw));
        }
        return values;
    }
}
