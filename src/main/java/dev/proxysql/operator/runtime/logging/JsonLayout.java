package dev.proxysql.operator.runtime.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One JSON object per line: {@code timestamp} (RFC 3339, UTC), {@code level}, {@code logger}, {@code thread},
 * {@code message}, then the MDC entries as top-level keys (JOSDK puts {@code resource.namespace}, {@code resource.name},
 * {@code resource.kind}... there during a reconciliation), and {@code exception} with the stack trace when there is one.
 */
public final class JsonLayout extends LayoutBase<ILoggingEvent> {
    private static final Set<String> FIXED = Set.of("timestamp", "level", "logger", "thread", "message", "exception");

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder b = new StringBuilder(256).append('{');
        field(b, "timestamp", DateTimeFormatter.ISO_INSTANT.format(event.getInstant()));
        field(b, "level", event.getLevel().toString());
        field(b, "logger", event.getLoggerName());
        field(b, "thread", event.getThreadName());
        field(b, "message", event.getFormattedMessage());
        Map<String, String> mdc = event.getMDCPropertyMap();
        if (mdc != null) {
            new TreeMap<>(mdc).forEach((k, v) -> {
                if (!FIXED.contains(k) && v != null) {
                    field(b, k, v);
                }
            });
        }
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            field(b, "exception", ThrowableProxyUtil.asString(thrown));
        }
        return b.append("}\n").toString();
    }

    private static void field(StringBuilder b, String name, String value) {
        if (b.length() > 1) {
            b.append(',');
        }
        quote(b, name).append(':');
        quote(b, value == null ? "" : value);
    }

    static StringBuilder quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"');
    }
}
