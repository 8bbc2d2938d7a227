package dev.trainstream.launcher;

import java.lang.reflect.Field;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine;

/**
 * Which environment variables each subcommand reads, derived from the options themselves (their
 * {@code ${env:TRAINSTREAM_...}} defaults), so deployment manifests can be checked against the code, not a copy.
 */
public final class ConfigurationCatalog {
    private static final Pattern ENV = Pattern.compile("\\$\\{env:(TRAINSTREAM_[A-Z0-9_]+)");

    private ConfigurationCatalog() {
    }

    /** The default as written in the annotation, before picocli resolves its ${env:...} variables. */
    private static String declaredDefault(OptionSpec option) {
        if (option.userObject() instanceof Field field) {
            CommandLine.Option annotation = field.getAnnotation(CommandLine.Option.class);
            return annotation == null ? null : annotation.defaultValue();
        }
        return null;
    }

    /** Subcommand name → the TRAINSTREAM_* variables it reads. */
    public static Map<String, Set<String>> environmentBySubcommand() {
        Map<String, Set<String>> result = new TreeMap<>();
        for (Map.Entry<String, CommandLine> sub : TrainstreamCommand.commandLine().getSubcommands().entrySet()) {
            Set<String> vars = new TreeSet<>();
            for (OptionSpec option : sub.getValue().getCommandSpec().options()) {
                String raw = declaredDefault(option);
                if (raw != null) {
                    Matcher m = ENV.matcher(raw);
                    while (m.find()) {
                        vars.add(m.group(1));
                    }
                }
            }
            if (!vars.isEmpty()) {
                result.put(sub.getKey(), vars);
            }
        }
        return result;
    }
}
