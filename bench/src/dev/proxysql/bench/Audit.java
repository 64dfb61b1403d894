package dev.proxysql.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The kube-apiserver audit log of a cluster started with CLUSTER_AUDIT=1 (every write, Metadata level, once). Read
 * from a byte offset, so a window of time is "what was appended between two marks".
 */
final class Audit {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path path;

    Audit(Path path) {
        this.path = path;
    }

    record Event(String verb, String userAgent, String resource, String subresource, String namespace, String name, int code,
                 java.time.Instant received) {
        boolean byAgent(String prefix) {
            return userAgent != null && userAgent.startsWith(prefix);
        }

        @Override
        public String toString() {
            return verb + " " + resource + (subresource == null ? "" : "/" + subresource) + " " + namespace + "/" + name
                    + " -> " + code + " (" + userAgent + ")";
        }
    }

    /** The current end of the log. */
    long mark() throws IOException {
        return Files.size(path);
    }

    /** Complete events written between two marks. */
    List<Event> between(long from, long to) throws IOException {
        List<Event> events = new ArrayList<>();
        try (RandomAccessFile f = new RandomAccessFile(path.toFile(), "r")) {
            f.seek(from);
            byte[] buf = new byte[(int) (to - from)];
            f.readFully(buf);
            for (String line : new String(buf, StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    JsonNode e = JSON.readTree(line);
                    JsonNode ref = e.path("objectRef");
                    events.add(new Event(text(e.path("verb")), text(e.path("userAgent")), text(ref.path("resource")),
                            text(ref.path("subresource")), text(ref.path("namespace")), text(ref.path("name")),
                            e.path("responseStatus").path("code").asInt(0), instant(text(e.path("requestReceivedTimestamp")))));
                } catch (IOException partial) {
                    // a line cut by the mark
                }
            }
        }
        return events;
    }

    private static java.time.Instant instant(String s) {
        try {
            return s == null ? null : java.time.Instant.parse(s);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String text(JsonNode n) {
        return n.isMissingNode() || n.isNull() ? null : n.asText();
    }
}
