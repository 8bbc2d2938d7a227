package dev.trainstream.launcher;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/** Collects what this JVM logs at WARN and above while open, so a test can assert what was (not) logged. */
final class CapturedLog implements AutoCloseable {
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final AbstractAppender appender;
    private final LoggerContext context;

    private CapturedLog() {
        context = (LoggerContext) LogManager.getContext(false);
        appender = new AbstractAppender("captured-" + System.nanoTime(), null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                Throwable thrown = event.getThrown();
                lines.add(event.getLevel() + " [" + event.getThreadName() + "] " + event.getLoggerName() + " - "
                    + event.getMessage().getFormattedMessage() + (thrown == null ? "" : " " + thrown));
            }
        };
        appender.start();
        context.getConfiguration().getRootLogger().addAppender(appender, Level.WARN, null);
        context.updateLoggers();
    }

    static CapturedLog start() {
        return new CapturedLog();
    }

    /** The lines logged so far. */
    List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void close() {
        context.getConfiguration().getRootLogger().removeAppender(appender.getName());
        context.updateLoggers();
        appender.stop();
    }
}
