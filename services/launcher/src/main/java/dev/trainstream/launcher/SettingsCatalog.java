package dev.trainstream.launcher;

import dev.trainstream.ops.config.Setting;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.function.UnaryOperator;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Ties picocli to the declared {@link Setting}s: every option of a {@link SettingsBacked} holder takes its default from
 * its setting (the environment variable when set, else the declared default) and its help text from the setting's
 * description, so a default, a variable name or a description is written once, in the service's settings class.
 */
final class SettingsCatalog implements CommandLine.IDefaultValueProvider {
    private final Map<ArgSpec, Setting> byOption = new IdentityHashMap<>();
    private final UnaryOperator<String> environment;

    private SettingsCatalog(UnaryOperator<String> environment) {
        this.environment = environment;
    }

    /**
     * Binds the settings-backed options of {@code root} and of every command under it; fails if an option has no
     * setting or a setting no option. A command line built without it parses every such option to null or zero, so
     * every command line (the launcher's, or one around a single subcommand) goes through here.
     */
    static CommandLine install(CommandLine root) {
        return install(root, System::getenv);
    }

    /** As {@link #install(CommandLine)}, reading variables from {@code environment} (tests). */
    static CommandLine install(CommandLine root, UnaryOperator<String> environment) {
        SettingsCatalog catalog = new SettingsCatalog(environment);
        catalog.bindTree(root);
        root.setDefaultValueProvider(catalog);
        return root;
    }

    private void bindTree(CommandLine command) {
        bind(command.getCommandSpec());
        command.getSubcommands().values().forEach(this::bindTree);
    }

    /** The settings each subcommand's options stand for, in declaration order. */
    static Map<String, List<Setting>> bySubcommand(CommandLine root) {
        Map<String, List<Setting>> out = new LinkedHashMap<>();
        root.getSubcommands().forEach((name, sub) -> {
            List<Setting> settings = new ArrayList<>();
            holders(sub.getCommandSpec()).forEach((holder, spec) -> settings.addAll(holder.settings()));
            if (!settings.isEmpty()) {
                out.put(name, settings);
            }
        });
        return out;
    }

    @Override
    public String defaultValue(ArgSpec argSpec) {
        Setting setting = byOption.get(argSpec);
        if (setting == null) {
            return null;
        }
        if (setting.env() != null) {
            String value = environment.apply(setting.env());
            if (value != null && !value.isEmpty()) {
                return value;
            }
        }
        return setting.defaultValue();
    }

    private void bind(CommandSpec command) {
        Map<String, String> descriptions = new LinkedHashMap<>();
        holders(command).forEach((holder, spec) -> {
            Map<String, Setting> settings = new LinkedHashMap<>();
            holder.settings().forEach(s -> settings.put(s.flag(), s));
            for (OptionSpec option : spec.options()) {
                Setting setting = settings.remove(option.longestName());
                if (setting == null) {
                    throw new IllegalStateException(holder.getClass().getSimpleName() + " option "
                        + option.longestName() + " has no setting in its settings list");
                }
                byOption.put(option, setting);
                descriptions.put(setting.name(), help(setting));
            }
            if (!settings.isEmpty()) {
                throw new IllegalStateException(holder.getClass().getSimpleName() + " lists settings without an option: "
                    + settings.keySet());
            }
        });
        if (!descriptions.isEmpty()) {
            ResourceBundle bundle = bundle(descriptions);
            command.resourceBundle(bundle);
            command.mixins().values().forEach(mixin -> mixin.resourceBundle(bundle));
        }
    }

    /** The --help text: the description, the variable it is read from and the default (or what stands for it). */
    static String help(Setting setting) {
        StringBuilder text = new StringBuilder(setting.description());
        if (setting.env() != null) {
            text.append(" Env: ").append(setting.env()).append('.');
        }
        if (setting.defaultValue() != null) {
            text.append(" Default: ${DEFAULT-VALUE}");
            if (setting.defaultNote() != null) {
                text.append(" (").append(setting.defaultNote()).append(')');
            }
        } else if ("required".equals(setting.defaultNote())) {
            text.append(" Required.");
        } else if (setting.defaultNote() != null) {
            text.append(" Default: ").append(setting.defaultNote()).append('.');
        }
        return text.toString();
    }

    /** Each settings-backed mixin of the command, with the spec holding its options. */
    private static Map<SettingsBacked, CommandSpec> holders(CommandSpec command) {
        Map<SettingsBacked, CommandSpec> out = new LinkedHashMap<>();
        command.mixins().values().forEach(mixin -> {
            if (mixin.userObject() instanceof SettingsBacked holder) {
                out.put(holder, mixin);
            }
        });
        return out;
    }

    private static ResourceBundle bundle(Map<String, String> descriptions) {
        return new ResourceBundle() {
            @Override
            protected Object handleGetObject(String key) {
                return descriptions.get(key);
            }

            @Override
            public Enumeration<String> getKeys() {
                return Collections.enumeration(descriptions.keySet());
            }
        };
    }
}
