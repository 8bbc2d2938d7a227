package dev.trainstream.launcher;

import dev.trainstream.ops.config.Setting;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What the command line's settings add up to, for deployments and docs: which environment variables each subcommand
 * reads (deployment manifests are checked against it) and the README's configuration table, both derived from the
 * declared settings, never a copy of them.
 */
public final class ConfigurationCatalog {
    /**
     * The commands users run as long-lived processes (the services users deploy, and the infrastructure they can run
     * them against without Docker); the README table says which of them reads each variable.
     */
    private static final List<String> SERVICES = List.of("ingest", "trainer", "evaluator", "dashboard", "infra");

    private ConfigurationCatalog() {
    }

    /** Subcommand name → the TRAINSTREAM_* variables it reads. */
    public static Map<String, Set<String>> environmentBySubcommand() {
        Map<String, Set<String>> result = new TreeMap<>();
        SettingsCatalog.bySubcommand(TrainstreamCommand.commandLine()).forEach((command, settings) -> {
            Set<String> vars = settings.stream().map(Setting::env).filter(e -> e != null)
                .collect(Collectors.toCollection(TreeSet::new));
            if (!vars.isEmpty()) {
                result.put(command, vars);
            }
        });
        return result;
    }

    /**
     * The README's table: one row per environment variable (flags that share one are listed together), its default
     * and the services that read it.
     */
    public static String markdownTable() {
        Map<String, List<Setting>> byCommand = SettingsCatalog.bySubcommand(TrainstreamCommand.commandLine());
        Map<String, Row> rows = new LinkedHashMap<>();
        for (String service : SERVICES) {
            for (Setting setting : byCommand.getOrDefault(service, List.of())) {
                if (setting.env() != null) {
                    rows.computeIfAbsent(setting.env(), env -> new Row(setting)).add(setting, service);
                }
            }
        }
        StringBuilder table = new StringBuilder("| variable | flag | default | used by | meaning |\n|---|---|---|---|---|\n");
        rows.values().forEach(row -> table.append(row.render()).append('\n'));
        return table.toString();
    }

    /** One variable: the flags that read it, its default and its readers. */
    private static final class Row {
        private final Setting first;
        private final Set<String> flags = new TreeSet<>();
        private final List<String> services = new ArrayList<>();

        Row(Setting first) {
            this.first = first;
        }

        void add(Setting setting, String service) {
            flags.add("`" + setting.flag() + "`");
            if (!services.contains(service)) {
                services.add(service);
            }
        }

        String render() {
            return "| `" + first.env() + "` | " + String.join(", ", flags) + " | " + cell(defaultText()) + " | "
                + String.join(", ", services) + " | " + cell(first.description()) + " |";
        }

        /** The default as a reader needs it: the value, what it means, or (for a machine-dependent one) the note. */
        private String defaultText() {
            String value = first.defaultValue();
            String note = first.defaultNote();
            if (value == null || value.contains("${")) {
                return note == null ? "" : note;
            }
            return "`" + value + "`" + (note == null ? "" : " (" + note + ")");
        }

        /** Markdown table cell text: no column breaks, no accidental HTML tags. */
        private static String cell(String text) {
            return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;");
        }
    }
}
