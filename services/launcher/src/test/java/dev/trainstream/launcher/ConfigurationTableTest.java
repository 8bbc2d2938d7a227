package dev.trainstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainstream.evaluator.EvaluatorSettings;
import dev.trainstream.ingest.IngestSettings;
import dev.trainstream.ops.config.ConnectionSettings;
import dev.trainstream.ops.config.Setting;
import dev.trainstream.trainer.TrainerSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The README's configuration table and every option's default come from the declared settings, not from copies. */
class ConfigurationTableTest {
    private static final Path README = Path.of("../../README.md");
    private static final String BEGIN = "<!-- configuration-table:begin (generated from the settings classes) -->\n";
    private static final String END = "<!-- configuration-table:end -->";

    @Test
    void givenTheReadme_whenItsConfigurationTableIsComparedWithTheSettings_thenItIsTheGeneratedTable()
            throws IOException {
        String expected = ConfigurationCatalog.markdownTable();
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/configuration-table.md"), expected);
        String readme = Files.readString(README);
        int begin = readme.indexOf(BEGIN);
        int end = readme.indexOf(END);
        assertThat(begin).as("README has the table's begin marker").isNotNegative();
        assertThat(end).as("README has the table's end marker").isGreaterThan(begin);

        assertThat(readme.substring(begin + BEGIN.length(), end))
            .as("README's table is stale: replace it with services/launcher/target/configuration-table.md")
            .isEqualTo(expected);
    }

    @Test
    void givenEverySettingsClass_whenItsSettingsAreLookedForOnTheCommandLine_thenEachIsAnOptionOfSomeSubcommand() {
        List<Setting> onCommandLine = new ArrayList<>();
        SettingsCatalog.bySubcommand(TrainstreamCommand.commandLine()).values().forEach(onCommandLine::addAll);
        List<Setting> declared = Stream.of(ConnectionSettings.ALL, IngestSettings.ALL, List.of(IngestSettings.DATASET_ID),
            TrainerSettings.ALL, EvaluatorSettings.ALL, InfraSettings.ALL).flatMap(List::stream).toList();

        assertThat(onCommandLine).containsAll(declared);
    }

    @Test
    void givenAnEnvironmentVariable_whenTheOptionIsAbsent_thenItIsTheDefaultAndOtherwiseTheDeclaredOneIs() {
        Map<String, List<Setting>> bySubcommand = SettingsCatalog.bySubcommand(TrainstreamCommand.commandLine());
        assertThat(bySubcommand.get("trainer")).contains(TrainerSettings.WIDTH_MULTIPLIER, ConnectionSettings.GRACE_SECONDS)
            .doesNotContain(IngestSettings.DATASET);
        assertThat(bySubcommand.get("up")).contains(IngestSettings.DATASET, TrainerSettings.EPOCHS)
            .doesNotContain(IngestSettings.DATASET_ID);

        Train train = new Train();
        CommandLine cli = new CommandLine(new Root());
        cli.addSubcommand("train", train);
        Map<String, String> environment = Map.of("TRAINSTREAM_WIDTH_MULTIPLIER", "0.5");
        SettingsCatalog.install(cli, environment::get);

        cli.parseArgs("train");
        assertThat(train.trainer.widthMultiplier).isEqualTo(0.5);
        assertThat(train.trainer.epochs).isEqualTo(TrainerSettings.EPOCHS.defaultInt());
        assertThat(train.trainer.learningRate).as("no default: the engine's").isNull();

        cli.parseArgs("train", "--width-multiplier", "0.75");
        assertThat(train.trainer.widthMultiplier).isEqualTo(0.75);
    }

    /** A bare root for a command line holding only the trainer's options. */
    @Command(name = "root")
    static final class Root {
    }

    /** Parses the trainer's options without starting anything. */
    @Command(name = "train")
    static final class Train {
        @Mixin
        TrainerOptions trainer = new TrainerOptions();
    }
}
