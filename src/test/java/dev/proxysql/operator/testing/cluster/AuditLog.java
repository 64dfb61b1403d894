package dev.proxysql.operator.testing.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The kube-apiserver audit log of a local cluster started with an audit policy
 * (hack/control-plane/audit-policy.yaml: every write, at Metadata level, once per request). Lets tests count
 * the API writes made by a user agent or user, e.g. to prove an operator does not write on every reconcile.
 */
public final class AuditLog {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path path;

  public AuditLog(Path path) {
    this.path = path;
  }

  public Path path() {
    return path;
  }

  /** One audited request. Fields missing from the log entry are null (code: 0). */
  public record Event(String verb, String user, String userAgent, String apiGroup, String resource,
      String subresource, String namespace, String name, int code, String requestUri) {

    static Event of(JsonNode e) {
      JsonNode ref = e.path("objectRef");
      return new Event(text(e.path("verb")), text(e.path("user").path("username")), text(e.path("userAgent")),
          text(ref.path("apiGroup")), text(ref.path("resource")), text(ref.path("subresource")),
          text(ref.path("namespace")), text(ref.path("name")), e.path("responseStatus").path("code").asInt(0),
          text(e.path("requestURI")));
    }

    private static String text(JsonNode n) {
      return n.isMissingNode() || n.isNull() ? null : n.asText();
    }

    /** Whether the user agent starts with {@code prefix} (agents carry version and OS suffixes). */
    public boolean userAgentStartsWith(String prefix) {
      return userAgent != null && userAgent.startsWith(prefix);
    }
  }

  /** All events logged so far. A line still being written at the end of the file is ignored. */
  public List<Event> events() {
    List<String> lines;
    try {
      lines = Files.readAllLines(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read audit log " + path, e);
    }
    List<Event> events = new ArrayList<>(lines.size());
    for (String line : lines) {
      if (line.isBlank()) {
        continue;
      }
      try {
        events.add(Event.of(JSON.readTree(line)));
      } catch (IOException partialLine) {
        // the apiserver is appending to this very line
      }
    }
    return events;
  }

  public List<Event> events(Predicate<Event> filter) {
    return events().stream().filter(filter).toList();
  }

  /** Events of one namespace, the usual scope of a test. */
  public List<Event> inNamespace(String namespace) {
    return events(e -> namespace.equals(e.namespace()));
  }
}
