package dev.trainstream.deploy.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Compose files against the Compose Specification JSON schema from ../shared/validation (CI has it). */
class ComposeSpecSchemaTest {
    private static final RepositoryPaths PATHS = RepositoryPaths.locate();
    private static final Logger LOG = LoggerFactory.getLogger(ComposeSpecSchemaTest.class);
    private static final String SKIP_REASON = "SKIPPED Compose Specification schema checks: no "
            + "../shared/validation/compose-spec.json next to the repository (" + PATHS.root().getParent() + "); CI "
            + "provides it, a user's clone does not. The always-on checks in ComposeRulesTest still ran.";
    private static SchemaCheck composeSpec;

    @BeforeAll
    static void loadSchema() {
        PATHS.composeSpecSchema().ifPresentOrElse(schema -> composeSpec = SchemaCheck.asWritten(schema),
                () -> LOG.warn(SKIP_REASON));
    }

    @BeforeEach
    void requireSchema() {
        assumeTrue(composeSpec != null, SKIP_REASON);
    }

    @Test
    void givenTopLevelComposeFile_whenValidatedAgainstComposeSpec_thenItConforms() {
        assertThat(composeSpec.validate(JsonTrees.toJson(ComposeFile.load(PATHS.composeFile()).root()))).isEmpty();
    }

    @Test
    void givenCpuOverrideFile_whenValidatedAgainstComposeSpec_thenItConforms() {
        assertThat(composeSpec.validate(JsonTrees.toJson(ComposeFile.load(PATHS.cpuComposeOverride()).root()))).isEmpty();
    }

    @Test
    void givenEffectiveCpuModel_whenValidatedAgainstComposeSpec_thenItConforms() {
        ComposeFile merged = ComposeFile.load(PATHS.composeFile()).overriddenBy(ComposeFile.load(PATHS.cpuComposeOverride()));
        assertThat(composeSpec.validate(JsonTrees.toJson(merged.root()))).isEmpty();
    }

    @Test
    void givenContainerCheckOverride_whenMergedAndValidatedAgainstComposeSpec_thenItConforms() {
        assertThat(composeSpec.validate(JsonTrees.toJson(ComposeFile.load(PATHS.containerCheckOverride()).root()))).isEmpty();
        ComposeFile merged = ComposeFile.load(PATHS.composeFile()).overriddenBy(ComposeFile.load(PATHS.cpuComposeOverride()))
                .overriddenBy(ComposeFile.load(PATHS.containerCheckOverride()));
        assertThat(composeSpec.validate(JsonTrees.toJson(merged.root()))).isEmpty();
    }

    @Test
    void givenMisspeltHealthcheckField_whenValidated_thenSchemaRejectsIt() {
        Map<String, Object> planted = JsonTrees.deepCopy(ComposeFile.load(PATHS.composeFile()).root());
        Map<String, Object> healthcheck = JsonTrees.at(planted, "services.trainer.healthcheck");
        healthcheck.put("intervall", healthcheck.remove("interval"));

        assertThat(composeSpec.validate(JsonTrees.toJson(planted))).anySatisfy(error -> assertThat(error).contains("intervall"));
    }

    @Test
    void givenWrongTypeForDependsOn_whenValidated_thenSchemaRejectsIt() {
        Map<String, Object> planted = JsonTrees.deepCopy(ComposeFile.load(PATHS.composeFile()).root());
        JsonTrees.at(planted, "services.ingest").put("depends_on", 42);

        JsonNode json = JsonTrees.toJson(planted);
        assertThat(composeSpec.validate(json)).anySatisfy(error -> assertThat(error).contains("depends_on"));
    }
}
