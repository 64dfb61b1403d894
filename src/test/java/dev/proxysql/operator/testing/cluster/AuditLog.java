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
 * (hack/control-plane/audit-policy.yaml: every write, at Metadata level, once per request; and every request of the
 * operator's ServiceAccount, reads included). Lets tests count the API writes made by a user agent or user, e.g. to
 * prove an operator does not write on every reconcile, and find requests the API server refused (code 403).
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

  /**
   * One audited request. Fields missing from the log entry are null (code: 0).
   *
   * @param user             the authenticated user, e.g. {@code system:serviceaccount:ns:name} for a ServiceAccount token
   * @param impersonatedUser the user acted as, when {@code user} impersonated someone (RBAC then applies to this one)
   * @param code             the response code: 403 when RBAC (or admission) refused the request
   * @param stage            ResponseComplete; long-running requests (watches) are also logged at ResponseStarted
   * @param message          the response's status message, for refused requests (why)
   * @param authorization    the authorizer's decision ({@code allow}, {@code forbid}); a 403 with {@code allow} was
   *                         refused by admission, not by RBAC
   * @param received         when the API server received the request (RFC 3339, microseconds)
   */
  public record Event(String verb, String user, String userAgent, String apiGroup, String resource,
      String subresource, String namespace, String name, int code, String requestUri, String impersonatedUser,
      String stage, String message, String authorization, String received) {

    static Event of(JsonNode e) {
      JsonNode ref = e.path("objectRef");
      return new Event(text(e.path("verb")), text(e.path("user").path("username")), text(e.path("userAgent")),
          text(ref.path("apiGroup")), text(ref.path("resource")), text(ref.path("subresource")),
          text(ref.path("namespace")), text(ref.path("name")), e.path("responseStatus").path("code").asInt(0),
          text(e.path("requestURI")), text(e.path("impersonatedUser").path("username")), text(e.path("stage")),
          text(e.path("responseStatus").path("message")),
          text(e.path("annotations").path("authorization.k8s.io/decision")), text(e.path("requestReceivedTimestamp")));
    }

    /** The user whose permissions applied: the impersonated one, if any, else the authenticated one. */
    public String effectiveUser() {
      return impersonatedUser != null ? impersonatedUser : user;
    }

    /** {@code verb group/resource[/subresource] namespace/name -> code}, for failure messages. */
    public String describe() {
      return verb + " " + (apiGroup == null || apiGroup.isEmpty() ? "core" : apiGroup) + "/" + resource
          + (subresource == null ? "" : "/" + subresource) + " " + (namespace == null ? "" : namespace + "/")
          + (name == null ? "" : name) + " -> " + code + (authorization == null ? "" : " [" + authorization + "]")
          + (message == null ? "" : " (" + message + ")");
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
