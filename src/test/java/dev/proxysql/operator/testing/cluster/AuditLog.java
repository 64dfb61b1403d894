package dev.proxysql.operator.testing.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The kube-apiserver audit log of a local cluster started with an audit policy
 * (hack/control-plane/audit-policy.yaml: every write, at Metadata level, once per request; and every request of the
 * operator's ServiceAccount, reads included). Lets tests count the API writes made by a user agent or user, e.g. to
 * prove an operator does not write on every reconcile, and find requests the API server refused (code 403).
 */
public final class AuditLog {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<Path, Tail> TAILS = new ConcurrentHashMap<>();

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

  /**
   * All events logged so far. A line still being written at the end of the file is left for the next call.
   *
   * <p>Only what was appended since the previous call is read and parsed (per file, for the whole JVM): the log holds
   * every write of the run, and tests that count writes after each case (OpsStopPointsIT: over a hundred) would
   * otherwise parse it from the start every time.
   */
  public List<Event> events() {
    return TAILS.computeIfAbsent(path.toAbsolutePath().normalize(), Tail::new).read();
  }

  public List<Event> events(Predicate<Event> filter) {
    return events().stream().filter(filter).toList();
  }

  /** Events of one namespace, the usual scope of a test. */
  public List<Event> inNamespace(String namespace) {
    return events(e -> namespace.equals(e.namespace()));
  }

  /** The events of one log file parsed so far, and where its first unread byte is. */
  private static final class Tail {
    private static final int CHUNK = 32 << 20;
    private static final int HEAD = 256;
    private final Path path;
    private final List<Event> events = new ArrayList<>();
    private Object fileKey;
    private byte[] firstBytes = new byte[0];
    private long offset;

    Tail(Path path) {
      this.path = path;
    }

    synchronized List<Event> read() {
      try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
        Object key = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        long size = channel.size();
        ByteBuffer head = ByteBuffer.allocate((int) Math.min(size, HEAD));
        while (head.hasRemaining() && channel.read(head, head.position()) > 0) {
          // read what is there
        }
        // The first line (an audit ID in its first bytes) tells a new file, even one that got the old one's inode.
        byte[] headBytes = Arrays.copyOf(head.array(), head.position());
        int common = Math.min(headBytes.length, firstBytes.length);
        if (!Objects.equals(key, fileKey) || size < offset
            || !Arrays.equals(headBytes, 0, common, firstBytes, 0, common)) {
          // A new cluster, or a rotated or truncated log: start over.
          fileKey = key;
          offset = 0;
          events.clear();
          firstBytes = headBytes;
        } else if (firstBytes.length < headBytes.length) {
          firstBytes = headBytes;
        }
        while (size > offset) {
          ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(size - offset, CHUNK));
          while (buffer.hasRemaining() && channel.read(buffer, offset + buffer.position()) > 0) {
            // read what is there
          }
          byte[] bytes = buffer.array();
          int start = 0;
          for (int i = 0; i < buffer.position(); i++) {
            if (bytes[i] == '\n') {
              parse(new String(bytes, start, i - start, StandardCharsets.UTF_8));
              start = i + 1;
            }
          }
          if (start == 0) {
            break; // no complete line yet
          }
          offset += start;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read audit log " + path, e);
      }
      return List.copyOf(events);
    }

    private void parse(String line) {
      if (line.isBlank()) {
        return;
      }
      try {
        events.add(Event.of(JSON.readTree(line)));
      } catch (IOException notJson) {
        // not an event (a complete line is a complete event: the apiserver writes each one with its newline at once)
      }
    }
  }
}
