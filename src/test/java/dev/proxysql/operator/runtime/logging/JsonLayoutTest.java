package dev.proxysql.operator.runtime.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonLayoutTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final LoggerContext context = new LoggerContext();

    private String layout(String message, Object[] args, Throwable thrown, Map<String, String> mdc) {
        LoggingEvent event = new LoggingEvent("test", context.getLogger("dev.proxysql.operator.Some"), Level.WARN, message, thrown, args);
        event.setThreadName("worker-1");
        event.setMDCPropertyMap(mdc);
        JsonLayout layout = new JsonLayout();
        layout.setContext(context);
        layout.start();
        return layout.doLayout(event);
    }

    @Test
    void oneObjectPerLineWithTheFixedFieldsAndTheMdc() throws Exception {
        String line = layout("ProxySQL {}/{}: phase {}", new Object[] {"demo", "px", "Ready"}, null,
                Map.of("resource.namespace", "demo", "resource.name", "px", "message", "an MDC key may not replace a fixed field"));
        assertThat(line).endsWith("}\n").doesNotContain("\n{").hasLineCount(1);
        JsonNode n = JSON.readTree(line);
        assertThat(n.path("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
        assertThat(n.path("level").asText()).isEqualTo("WARN");
        assertThat(n.path("logger").asText()).isEqualTo("dev.proxysql.operator.Some");
        assertThat(n.path("thread").asText()).isEqualTo("worker-1");
        assertThat(n.path("message").asText()).isEqualTo("ProxySQL demo/px: phase Ready");
        assertThat(n.path("resource.namespace").asText()).isEqualTo("demo");
        assertThat(n.path("resource.name").asText()).isEqualTo("px");
        assertThat(n.has("exception")).isFalse();
    }

    @Test
    void escapesEverythingJsonNeedsAndKeepsTheStackTraceInOneLine() throws Exception {
        String nasty = "quote \" backslash \\ newline \n tab \t bell \u0007 unicode é \u2028";
        String line = layout(nasty, null, new IllegalStateException("boom\nsecond line"), Map.of());
        assertThat(line).hasLineCount(1);
        JsonNode n = JSON.readTree(line);
        assertThat(n.path("message").asText()).isEqualTo(nasty);
        assertThat(n.path("exception").asText()).startsWith("java.lang.IllegalStateException: boom\nsecond line")
                .contains("JsonLayoutTest");
    }
}
