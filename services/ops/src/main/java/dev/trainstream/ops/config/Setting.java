package dev.trainstream.ops.config;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One configuration setting of a service, declared once: its flag, its environment variable (if deployments set it),
 * its default and what it means. The launcher's {@code --help}, the environment it reads, the README's configuration
 * table, the deployment checks and the services' config builders all take it from here.
 *
 * @param name        the flag without its dashes, e.g. {@code width-multiplier}
 * @param env         the environment variable read when the flag is absent; null for a flag-only setting
 * @param defaultValue the default as the flag would spell it; null when there is none (required, generated or
 *                    derived, which {@code defaultNote} then says)
 * @param defaultNote what the default means or how it is derived, for people (README, --help); null if self-evident
 * @param description one or two sentences for --help and the README
 */
public record Setting(String name, String env, String defaultValue, String defaultNote, String description) {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");
    private static final Pattern ENV = Pattern.compile("TRAINSTREAM_[A-Z0-9_]+");

    public Setting {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a setting name is lower-case words joined by '-', was " + name);
        }
        if (env != null && !ENV.matcher(env).matches()) {
            throw new IllegalArgumentException("setting " + name + ": environment variable must match " + ENV
                + ", was " + env);
        }
        if (description == null || description.isBlank()) {
            throw new IllegalArgumentException("setting " + name + " needs a description");
        }
    }

    /** A flag-only setting (no default: null). */
    public static Setting flag(String name, String defaultValue, String description) {
        return new Setting(name, null, defaultValue, null, description);
    }

    /** A setting read from {@code --name} or, when absent, from {@code env}. */
    public static Setting env(String name, String env, String defaultValue, String description) {
        return new Setting(name, Objects.requireNonNull(env, "env"), defaultValue, null, description);
    }

    /** The same setting with a note on what its default means. */
    public Setting noting(String note) {
        return new Setting(name, env, defaultValue, note, description);
    }

    /** The flag as typed on a command line, e.g. {@code --width-multiplier}. */
    public String flag() {
        return "--" + name;
    }

    /** The default, when there is one. */
    public Optional<String> defaultText() {
        return Optional.ofNullable(defaultValue);
    }

    /** The default parsed as an int (for config builders); fails if the setting has none. */
    public int defaultInt() {
        return Integer.parseInt(required());
    }

    /** The default parsed as a long. */
    public long defaultLong() {
        return Long.parseLong(required());
    }

    /** The default parsed as a double. */
    public double defaultDouble() {
        return Double.parseDouble(required());
    }

    /** The default parsed as a boolean. */
    public boolean defaultBoolean() {
        return Boolean.parseBoolean(required());
    }

    /** The default as text; fails if the setting has none. */
    public String required() {
        if (defaultValue == null) {
            throw new IllegalStateException("setting " + name + " has no default");
        }
        return defaultValue;
    }

    /** How errors name the setting: the flag, and the variable where there is one. */
    public String label() {
        return env == null ? flag() : flag() + " (" + env + ")";
    }
}
