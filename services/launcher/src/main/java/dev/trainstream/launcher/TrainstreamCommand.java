package dev.trainstream.launcher;

import dev.trainstream.events.TrainstreamVersion;
import dev.trainstream.ingest.IngestFailure;
import dev.trainstream.ingest.source.DatasetException;
import dev.trainstream.storage.StorageException;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine;

/** The {@code trainstream} command: one jar, one subcommand per service, plus the local all-in-one mode. */
@Command(name = "trainstream", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT,
    versionProvider = TrainstreamCommand.Version.class,
    description = "Event-driven MobileNetV1 training: ingest -> Kafka -> trainer -> S3 checkpoints -> evaluator.",
    subcommands = {UpCommand.class, InfraCommand.class, IngestCommand.class, TrainerCommand.class, EvaluatorCommand.class,
        SummaryCommand.class, DoctorCommand.class, DashboardCommand.class, RunsCommand.class, TailCommand.class,
        StatusCommand.class, ExportCommand.class, CommandLine.HelpCommand.class})
public final class TrainstreamCommand {
    /** Exit code for bad input data (the message names the file or record). */
    static final int EXIT_BAD_INPUT = 2;
    /** Exit code for S3 failures. */
    static final int EXIT_STORAGE = 3;
    /** Exit code for Kafka failures. */
    static final int EXIT_KAFKA = 4;

    private TrainstreamCommand() {
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line (tests execute it directly). */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new TrainstreamCommand());
        // Wide enough that "Default: host:port" never breaks across lines.
        cli.setUsageHelpWidth(140);
        SettingsCatalog.install(cli);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("trainstream " + commandLine.getCommandName() + ": " + e.getMessage());
            if (e instanceof DatasetException || e instanceof IllegalArgumentException) {
                return EXIT_BAD_INPUT;
            }
            if (e instanceof StorageException) {
                return EXIT_STORAGE;
            }
            if (e instanceof IngestFailure || e instanceof KafkaException) {
                return EXIT_KAFKA;
            }
            e.printStackTrace(commandLine.getErr());
            return 1;
        });
        return cli;
    }

    /** The build's version for {@code -V} on this command and, through {@code scope = INHERIT}, every subcommand. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"trainstream " + TrainstreamVersion.current()};
        }
    }
}
