package dev.trainstream.deploy.validation;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Where the deployment files, the AsyncAPI contract and the optional ../shared validation assets live. */
record RepositoryPaths(Path root) {

    RepositoryPaths {
        if (!Files.isRegularFile(root.resolve("pom.xml")) || !Files.isRegularFile(root.resolve("docker-compose.yml"))) {
            throw new IllegalArgumentException("root is not the Trainstream repository (no pom.xml + docker-compose.yml): " + root);
        }
    }

    /** Finds the repository root from the module folder Maven runs the tests in, or -Dtrainstream.repository.root. */
    static RepositoryPaths locate() {
        String explicit = System.getProperty("trainstream.repository.root");
        if (explicit != null && !explicit.isBlank()) {
            return new RepositoryPaths(Path.of(explicit).toAbsolutePath().normalize());
        }
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path candidate = dir; candidate != null; candidate = candidate.getParent()) {
            if (Files.isRegularFile(candidate.resolve("docker-compose.yml")) && Files.isRegularFile(candidate.resolve("pom.xml"))) {
                return new RepositoryPaths(candidate);
            }
        }
        throw new IllegalStateException("no repository root with docker-compose.yml above " + dir);
    }

    Path composeFile() {
        return root.resolve("docker-compose.yml");
    }

    Path cpuComposeOverride() {
        return root.resolve("deploy/compose/docker-compose.cpu.yml");
    }

    /** The container check's test-only override (deploy/test/container-check.sh): stand-in images, small settings. */
    Path containerCheckOverride() {
        return root.resolve("deploy/test/docker-compose.check.yml");
    }

    Path envExample() {
        return root.resolve(".env.example");
    }

    Path dockerDir() {
        return root.resolve("deploy/docker");
    }

    Path k8sBase() {
        return root.resolve("deploy/k8s/base");
    }

    Path k8sOverlay(String name) {
        return root.resolve("deploy/k8s/overlays").resolve(name);
    }

    Path topicsFile() {
        return k8sBase().resolve("topics/topics.txt");
    }

    Path asyncApi() {
        return root.resolve("schemas/asyncapi.yaml");
    }

    /** ../shared/validation next to the repository: present in CI, absent in a user's clone. */
    Optional<Path> sharedValidation() {
        Path shared = root.getParent() == null ? null : root.getParent().resolve("shared/validation");
        return shared != null && Files.isDirectory(shared) ? Optional.of(shared) : Optional.empty();
    }

    Optional<Path> composeSpecSchema() {
        return sharedValidation().map(dir -> dir.resolve("compose-spec.json")).filter(Files::isRegularFile);
    }

    Optional<Path> kubernetesSchemas() {
        return sharedValidation().map(dir -> dir.resolve("k8s-schemas")).filter(Files::isDirectory);
    }
}
