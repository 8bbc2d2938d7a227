package dev.trainstream.deploy.validation;

import dev.trainstream.ops.OpsEndpoints;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Always-on checks of a Compose model against the services' real configuration and HTTP contract. */
final class ComposeRules {

    /** Service attributes of the Compose Specification; a misspelt one would otherwise be ignored silently. */
    static final Set<String> SERVICE_KEYS = Set.of("annotations", "attach", "blkio_config", "build", "cap_add",
            "cap_drop", "cgroup", "cgroup_parent", "command", "configs", "container_name", "cpu_count", "cpu_percent",
            "cpu_period", "cpu_quota", "cpu_rt_period", "cpu_rt_runtime", "cpu_shares", "cpus", "cpuset",
            "credential_spec", "depends_on", "deploy", "develop", "device_cgroup_rules", "devices", "dns", "dns_opt",
            "dns_search", "domainname", "entrypoint", "env_file", "environment", "expose", "extends", "external_links",
            "extra_hosts", "gpus", "group_add", "healthcheck", "hostname", "image", "init", "ipc", "isolation",
            "labels", "label_file", "links", "logging", "mac_address", "mem_limit", "mem_reservation", "mem_swappiness",
            "memswap_limit", "network_mode", "networks", "oom_kill_disable", "oom_score_adj", "pid", "pids_limit",
            "platform", "ports", "post_start", "pre_stop", "privileged", "profiles", "provider", "pull_policy",
            "read_only", "restart", "runtime", "scale", "secrets", "security_opt", "shm_size", "stdin_open",
            "stop_grace_period", "stop_signal", "storage_opt", "sysctls", "tmpfs", "tty", "ulimits", "use_api_socket",
            "user", "userns_mode", "uts", "volumes", "volumes_from", "working_dir");
    static final Set<String> CONDITIONS = Set.of("service_started", "service_healthy", "service_completed_successfully");
    private static final Pattern HEALTH_URL = Pattern.compile("https?://[^/:\\s]+:(\\d+)(/[^\\s\"']*)");

    private final ServiceCatalog catalog;

    ComposeRules(ServiceCatalog catalog) {
        if (catalog == null) {
            throw new IllegalArgumentException("catalog must not be null");
        }
        this.catalog = catalog;
    }

    List<String> check(ComposeFile compose) {
        List<String> violations = new ArrayList<>();
        Map<String, ComposeService> services = compose.services();
        if (services.isEmpty()) {
            violations.add("no services defined");
        }
        for (ComposeService service : services.values()) {
            checkKeys(service, violations);
            checkDependencies(service, services, violations);
            checkImage(service, violations);
            if (service.image().map(ServiceCatalog::isTrainstreamImage).orElse(false)) {
                checkTrainstreamService(service, violations);
            }
        }
        return violations;
    }

    private static void checkKeys(ComposeService service, List<String> violations) {
        for (String key : service.definition().keySet()) {
            if (!SERVICE_KEYS.contains(key) && !key.startsWith("x-")) {
                violations.add(service.name() + ": unknown service attribute '" + key + "'");
            }
        }
    }

    private static void checkDependencies(ComposeService service, Map<String, ComposeService> services, List<String> violations) {
        service.dependsOn().forEach((target, condition) -> {
            ComposeService dependency = services.get(target);
            if (dependency == null) {
                violations.add(service.name() + ": depends_on unknown service '" + target + "'");
                return;
            }
            if (!CONDITIONS.contains(condition)) {
                violations.add(service.name() + ": depends_on " + target + " with unknown condition '" + condition + "'");
            }
            if ("service_healthy".equals(condition) && !dependency.hasHealthcheck()) {
                violations.add(service.name() + ": waits for " + target + " to be healthy but it has no healthcheck");
            }
        });
    }

    private static void checkImage(ComposeService service, List<String> violations) {
        if (service.image().isEmpty()) {
            violations.add(service.name() + ": no image (every service names a pinned image, built ones too)");
        } else if (!ImageReference.parse(service.image().get()).isPinned()) {
            violations.add(service.name() + ": image '" + service.image().get() + "' is not pinned to a release");
        }
    }

    private void checkTrainstreamService(ComposeService service, List<String> violations) {
        String name = service.name();
        if (service.command().isEmpty()) {
            violations.add(name + ": no subcommand (command) for the trainstream entrypoint");
            return;
        }
        String subcommand = service.command().get(0);
        var variables = catalog.variablesOf(subcommand);
        if (variables.isEmpty()) {
            violations.add(name + ": '" + subcommand + "' is not a trainstream subcommand " + catalog.subcommands());
            return;
        }
        for (String variable : service.environment().keySet()) {
            if (!variables.get().contains(variable)) {
                violations.add(name + ": sets " + variable + " which '" + subcommand + "' does not read");
            }
        }
        int port = httpPort(service.environment().get("TRAINSTREAM_HTTP_PORT"), name, violations);
        for (int published : service.publishedContainerPorts()) {
            if (published != port) {
                violations.add(name + ": publishes container port " + published + " but the service listens on " + port);
            }
        }
        checkHealthcheck(service, port, violations);
        checkDevice(service, violations);
    }

    private static int httpPort(String configured, String name, List<String> violations) {
        if (configured == null) {
            return OpsEndpoints.DEFAULT_PORT;
        }
        try {
            return Integer.parseInt(configured);
        } catch (NumberFormatException e) {
            violations.add(name + ": TRAINSTREAM_HTTP_PORT '" + configured + "' is not a port number");
            return -1;
        }
    }

    private static void checkHealthcheck(ComposeService service, int port, List<String> violations) {
        String test = String.join(" ", service.healthcheckTest());
        Matcher url = HEALTH_URL.matcher(test);
        if (!url.find()) {
            violations.add(service.name() + ": healthcheck does not probe an HTTP health endpoint: " + test);
            return;
        }
        if (Integer.parseInt(url.group(1)) != port) {
            violations.add(service.name() + ": healthcheck probes port " + url.group(1) + " but the service listens on " + port);
        }
        String path = url.group(2);
        if (!path.equals(OpsEndpoints.LIVE) && !path.equals(OpsEndpoints.READY)) {
            violations.add(service.name() + ": healthcheck path " + path + " is neither " + OpsEndpoints.LIVE + " nor " + OpsEndpoints.READY);
        }
    }

    private static void checkDevice(ComposeService service, List<String> violations) {
        boolean gpuImage = ImageReference.parse(service.image().orElseThrow()).repositoryName().equals("trainstream-gpu");
        boolean reservesGpu = service.reservedDeviceDrivers().contains("nvidia");
        String device = service.environment().get("TRAINSTREAM_DEVICE");
        if ("gpu".equals(device) && !(gpuImage && reservesGpu)) {
            violations.add(service.name() + ": TRAINSTREAM_DEVICE=gpu needs the trainstream-gpu image and an nvidia device reservation");
        }
        if (reservesGpu && !gpuImage) {
            violations.add(service.name() + ": reserves a GPU but runs the CPU image");
        }
    }
}
