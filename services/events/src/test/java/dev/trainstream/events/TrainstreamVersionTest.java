package dev.trainstream.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The version every command reports is the one Maven built, not a literal in the code. */
class TrainstreamVersionTest {
    @Test
    void givenTheBuiltEventsModule_whenAskedForTheVersion_thenItIsTheMavenProjectVersion() {
        assertThat(System.getProperty("trainstream.project.version")).as("surefire passes the project version")
            .isNotBlank();
        assertThat(TrainstreamVersion.current()).isEqualTo(System.getProperty("trainstream.project.version"));
    }
}
