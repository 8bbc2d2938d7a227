package dev.trainstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainstream.infra.LocalInfrastructure;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

/** {@code trainstream ingest} against the embedded broker and S3: continuing a stored dataset by id, and its errors. */
@ExtendWith(SharedInfrastructure.class)
class IngestCommandTest {
    static LocalInfrastructure infra;

    @BeforeAll
    static void start(LocalInfrastructure shared) {
        infra = shared;
    }

    /** Exit code, stdout and stderr of one command line. */
    private record Result(int rc, String out, String err) {
    }

    private static Result ingest(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = TrainstreamCommand.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        List<String> all = new ArrayList<>(List.of("ingest", "--kafka-bootstrap", infra.kafka().bootstrapServers(),
            "--s3-endpoint", infra.s3().endpoint().toString(), "--s3-access-key", infra.s3().accessKey(),
            "--s3-secret-key", infra.s3().secretKey(), "--http-port", "0", "--batch-size", "25"));
        all.addAll(List.of(args));
        int rc = cli.execute(all.toArray(String[]::new));
        return new Result(rc, out.toString(), err.toString());
    }

    @Test
    void givenAStoredDataset_whenIngestingByIdWithMoreEpochs_thenItExits0AndPublishesTheNextEpochNumbers() {
        Result first = ingest("--synthetic", "--synthetic-train", "100", "--synthetic-test", "20", "--epochs", "2");
        Matcher id = Pattern.compile("dataset (ds-[0-9a-f]+):").matcher(first.out());
        assertThat(id.find()).as("summary names the dataset: %s", first.out()).isTrue();

        Result more = ingest("--dataset-id", id.group(1), "--epochs", "3", "--max-epochs-ahead", "0");

        assertThat(first.rc()).as(first.err()).isZero();
        assertThat(more.rc()).as(more.err()).isZero();
        assertThat(first.out()).contains("2 epochs (0..1)");
        assertThat(more.out()).contains(id.group(1), "3 epochs (2..4)", "0 uploaded");
    }

    @Test
    void givenAnUnknownDatasetId_whenIngestingById_thenExitCode2AndOneMessageNamingTheId() {
        Result result = ingest("--dataset-id", "ds-0123456789abcdef", "--epochs", "1");

        assertThat(result.rc()).isEqualTo(TrainstreamCommand.EXIT_BAD_INPUT);
        assertThat(result.err()).contains("ds-0123456789abcdef", "not stored", "nothing was published");
    }

    @Test
    void givenDatasetIdAndSynthetic_whenIngesting_thenExitCode2NamingBothOptions() {
        Result result = ingest("--dataset-id", "ds-0123456789abcdef", "--synthetic");

        assertThat(result.rc()).isEqualTo(TrainstreamCommand.EXIT_BAD_INPUT);
        assertThat(result.err()).contains("--dataset-id", "--synthetic");
    }

    @Test
    void givenTheCatalog_whenAsked_thenIngestReadsTheBackpressureLimitFromItsEnvironmentVariable() {
        assertThat(ConfigurationCatalog.environmentBySubcommand().get("ingest")).contains("TRAINSTREAM_MAX_EPOCHS_AHEAD",
            "TRAINSTREAM_TRAINER_STALE_AFTER_MINUTES");
    }

    @Test
    void givenANegativeStaleAfter_whenIngesting_thenExitCode2NamingTheOption() {
        Result result = ingest("--synthetic", "--max-epochs-ahead", "1", "--trainer-stale-after-minutes", "-5");

        assertThat(result.rc()).isEqualTo(TrainstreamCommand.EXIT_BAD_INPUT);
        assertThat(result.err()).contains("--trainer-stale-after-minutes", "-5");
    }

    @Test
    void givenNegativeMaxEpochsAhead_whenIngesting_thenExitCode2NamingTheSetting() {
        Result result = ingest("--synthetic", "--max-epochs-ahead", "-1");

        assertThat(result.rc()).isEqualTo(TrainstreamCommand.EXIT_BAD_INPUT);
        assertThat(result.err()).contains("max epochs ahead");
    }
}
