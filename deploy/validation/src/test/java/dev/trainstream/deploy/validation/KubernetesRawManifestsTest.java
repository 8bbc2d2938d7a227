package dev.trainstream.deploy.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Always-on (no kubectl, no ../shared): the raw base and overlay files bind strictly and match the services. */
class KubernetesRawManifestsTest {
    private static final RepositoryPaths PATHS = RepositoryPaths.locate();
    private static final ServiceCatalog CATALOG = ServiceCatalog.fromLauncher();

    static Stream<Arguments> kustomizations() {
        return Stream.of(Arguments.of("base", PATHS.k8sBase()), Arguments.of("gpu", PATHS.k8sOverlay("gpu")),
                Arguments.of("dev", PATHS.k8sOverlay("dev")), Arguments.of("sweep", PATHS.k8sOverlay("sweep")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kustomizations")
    void givenRawResourcesAndPatches_whenBoundToTypedModels_thenNoUnknownFieldsOrWrongTypes(String name, Path dir) {
        RawManifests raw = RawManifests.read(dir);
        List<String> violations = new ArrayList<>();
        raw.resources().forEach(object -> violations.addAll(StrictModel.check(object)));
        raw.patches().forEach(patch -> violations.addAll(StrictModel.check(patch)));

        assertThat(raw.resources()).isNotEmpty();
        assertThat(violations).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kustomizations")
    void givenRawResources_whenCrossChecked_thenEnvProbesAndMetricsMatchTheServices(String name, Path dir) {
        RawManifests raw = RawManifests.read(dir);

        assertThat(new WorkloadRules(CATALOG, raw.imagesTaggedByKustomize()).check(raw.resources())).isEmpty();
    }
}
