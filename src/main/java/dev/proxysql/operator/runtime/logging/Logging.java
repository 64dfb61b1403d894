package dev.proxysql.operator.runtime.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.Layout;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.nio.charset.StandardCharsets;
import org.slf4j.LoggerFactory;

/**
 * Configures logback from the command line, replacing logback.xml: one console appender on stderr, text or JSON.
 *
 * <p>{@code --log-level} applies to the operator's own loggers. JOSDK and fabric8 stay at WARN unless the level is
 * {@code debug} or {@code trace}. Two loggers are capped whatever the level, because at TRACE they print what must never
 * reach a log: fabric8's HTTP wire log (request and response bodies, Secrets included, and the Authorization header) and
 * the MariaDB driver's packet dumps (the admin-interface checks' credentials).
 */
public final class Logging {
    /** The text format: time (UTC), level, logger, the resource being reconciled when there is one, message. */
    static final String TEXT_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSS'Z',UTC} %-5level %logger{36}"
            + "%replace( [%X{resource.namespace}/%X{resource.name}]){' \\[/\\]', ''} - %msg%n";

    /** Log formats. */
    public enum Format { text, json }

    private Logging() {
    }

    public static void configure(Level level, Format format) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        Layout<ILoggingEvent> layout;
        if (format == Format.json) {
            layout = new JsonLayout();
        } else {
            PatternLayout pattern = new PatternLayout();
            pattern.setPattern(TEXT_PATTERN);
            layout = pattern;
        }
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.setCharset(StandardCharsets.UTF_8);
        encoder.start();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName("STDERR");
        appender.setTarget("System.err");
        appender.setEncoder(encoder);
        appender.start();

        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(level);
        root.addAppender(appender);
        Level libraries = level.isGreaterOrEqual(Level.INFO) && !level.isGreaterOrEqual(Level.WARN) ? Level.WARN : level;
        context.getLogger("io.javaoperatorsdk").setLevel(libraries);
        context.getLogger("io.fabric8").setLevel(libraries);
        // "The client is using resource type ... with unstable version v1alpha1": KubeDB's API versions, nothing to act on.
        context.getLogger("io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils").setLevel(libraries == Level.WARN ? Level.ERROR : libraries);
        // Never at TRACE, see above.
        context.getLogger("io.fabric8.kubernetes.client.http.HttpLoggingInterceptor").setLevel(Level.WARN);
        context.getLogger("org.mariadb.jdbc").setLevel(atLeast(level, Level.INFO));
    }

    private static Level atLeast(Level level, Level floor) {
        return level.isGreaterOrEqual(floor) ? level : floor;
    }
}
