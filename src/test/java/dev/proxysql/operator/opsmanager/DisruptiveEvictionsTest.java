package dev.proxysql.operator.opsmanager;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.testing.cluster.AuditLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link OpsFixture#disruptiveEvictions}: what counts as taking a pod down, from audit log lines as the API server writes them. */
class DisruptiveEvictionsTest {
    @TempDir
    Path dir;

    @Test
    void aRepeatedEvictionOfTheSameInstanceCountsOnce() throws IOException {
        assertThat(count(evict("px-0", 201), evict("px-0", 201), create("px-0"))).containsExactly(Map.entry("px-0", 1L));
    }

    @Test
    void theEvictionOfAReplacementCountsAgain() throws IOException {
        assertThat(count(evict("px-1", 201), create("px-1"), evict("px-1", 201), create("px-1"))).containsExactly(Map.entry("px-1", 2L));
    }

    @Test
    void extraCreationsWithoutAnEvictionDoNotCount() throws IOException {
        // kwok's controller deleting a freshly recreated pod: two creations after one eviction.
        assertThat(count(create("px-0"), evict("px-0", 201), create("px-0"), create("px-0"))).containsExactly(Map.entry("px-0", 1L));
    }

    @Test
    void refusedEvictionsAndOtherNamespacesDoNotCount() throws IOException {
        assertThat(count(evict("px-0", 429), line("other", "px-0", "eviction", 201), evict("px-0", 201))).containsExactly(Map.entry("px-0", 1L));
    }

    private Map<String, Long> count(String... lines) throws IOException {
        Path log = Files.createTempFile(dir, "audit", ".log");
        Files.write(log, List.of(lines));
        return OpsFixture.disruptiveEvictions(new AuditLog(log), "ns");
    }

    private static String evict(String pod, int code) {
        return line("ns", pod, "eviction", code);
    }

    private static String create(String pod) {
        return line("ns", pod, null, 201);
    }

    private static String line(String ns, String pod, String subresource, int code) {
        return "{\"kind\":\"Event\",\"auditID\":\"" + java.util.UUID.randomUUID() + "\",\"stage\":\"ResponseComplete\",\"verb\":\"create\","
                + "\"objectRef\":{\"resource\":\"pods\",\"namespace\":\"" + ns + "\",\"name\":\"" + pod + "\""
                + (subresource == null ? "" : ",\"subresource\":\"" + subresource + "\"") + "},\"responseStatus\":{\"code\":" + code + "}}";
    }
}
