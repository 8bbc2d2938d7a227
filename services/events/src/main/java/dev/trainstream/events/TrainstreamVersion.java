package dev.trainstream.events;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version of this Trainstream build (the Maven project version, written into the jar when it is built), so that
 * every command reports the version it really is rather than a string someone forgot to bump.
 */
public final class TrainstreamVersion {
    private static final String RESOURCE = "build.properties";

    private TrainstreamVersion() {
    }

    /** The build's version, e.g. {@code 0.1.0-SNAPSHOT}; fails loudly if the jar was built without its stamp. */
    public static String current() {
        return Holder.VERSION;
    }

    private static final class Holder {
        static final String VERSION = read();

        private static String read() {
            try (InputStream in = TrainstreamVersion.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("dev/trainstream/events/" + RESOURCE + " is missing from the "
                        + "events jar: build it with Maven (resource filtering writes the version)");
                }
                Properties properties = new Properties();
                properties.load(in);
                String version = properties.getProperty("version", "").trim();
                if (version.isEmpty() || version.contains("${")) {
                    throw new IllegalStateException("dev/trainstream/events/" + RESOURCE + " has no filtered "
                        + "version (found '" + version + "'): build it with Maven");
                }
                return version;
            } catch (IOException e) {
                throw new UncheckedIOException("reading dev/trainstream/events/" + RESOURCE, e);
            }
        }
    }
}
