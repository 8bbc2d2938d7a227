package dev.trainstream.events.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.trainstream.events.EventType;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** The commit metadata a trainer writes is read back exactly, and anything else is "age unknown", never an error. */
class CommitStampTest {
    private static final Instant AT = Instant.parse("2026-12-01T23:40:00.123Z");

    @Test
    void givenAStamp_whenEncodedAndParsed_thenTheRunAndTimeComeBack() {
        CommitStamp stamp = new CommitStamp(AT, "run with spaces run=and a second marker");

        assertThat(CommitStamp.parse(stamp.encode())).contains(stamp);
        assertThat(stamp.encode()).startsWith("trainstream-commit/1 at=2026-12-01T23:40:00.123Z run=");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"some other app's metadata", "trainstream-commit/1 at=", "trainstream-commit/1 at=yesterday run=r",
        "trainstream-commit/1 at=2026-12-01T23:40:00Z", "trainstream-commit/1 at=2026-12-01T23:40:00Z run=",
        "trainstream-commit/1 at=2026-12-01T23:40:00Z run=   ", "trainstream-commit/2 at=2026-12-01T23:40:00Z run=r"})
    void givenMetadataThatIsNotAWellFormedStamp_whenParsed_thenItIsEmpty(String metadata) {
        assertThat(CommitStamp.parse(metadata)).isEmpty();
    }

    @Test
    void givenThePublishedFormat_whenStampsAreEncodedAndItsExamplesParsed_thenCodeAndDocumentAgree() throws IOException {
        JsonNode format;
        try (InputStream in = CommitStampTest.class.getClassLoader()
                .getResourceAsStream(EventType.SCHEMA_RESOURCE_DIR + "asyncapi.yaml")) {
            format = new YAMLMapper().readTree(in).path("components").path("schemas").path("CommitStamp");
        }
        Pattern pattern = Pattern.compile(format.path("pattern").asText());
        List<String> examples = new ArrayList<>();
        format.path("examples").forEach(e -> examples.add(e.asText()));

        assertThat(examples).isNotEmpty();
        for (String example : examples) {
            assertThat(example).matches(pattern);
            assertThat(CommitStamp.parse(example)).as(example).isPresent();
            assertThat(CommitStamp.parse(example).orElseThrow().encode()).isEqualTo(example);
        }
        for (Instant at : List.of(AT, Instant.parse("2026-12-01T23:40:00Z"), Instant.parse("2026-12-01T23:40:00.000000001Z"))) {
            assertThat(new CommitStamp(at, "cifar10 run/7").encode()).matches(pattern);
        }
        assertThat("trainstream-commit/2 at=2026-12-01T23:40:00Z run=r").doesNotMatch(pattern);
        assertThat("trainstream-commit/1 at=2026-12-01T23:40:00Z run=   ").doesNotMatch(pattern);
    }

    @Test
    void givenAStamp_whenAskedItsAge_thenItIsMeasuredFromTheCommit() {
        CommitStamp stamp = new CommitStamp(AT, "r");

        assertThat(stamp.age(AT.plusSeconds(90))).isEqualTo(Duration.ofSeconds(90));
        assertThat(stamp.age(AT.minusSeconds(5))).as("a committer clock ahead of ours").isNegative();
    }

    @Test
    void givenNoRunId_whenStamped_thenItIsRefused() {
        assertThatThrownBy(() -> new CommitStamp(AT, " ")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("run id");
    }
}
