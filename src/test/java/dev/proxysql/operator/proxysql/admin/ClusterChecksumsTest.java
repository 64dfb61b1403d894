package dev.proxysql.operator.proxysql.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClusterChecksumsTest {

    private static final Instant T = Instant.parse("2026-11-25T10:00:00Z");

    @Test
    void agreeingClusterHasNoDisagreeingModules() {
        List<PeerChecksum> rows = List.of(
                row("p-0", "mysql_users", 3, "0xAAAA", T),
                row("p-1", "mysql_users", 2, "0xAAAA", T),
                row("p-0", "mysql_servers", 1, "0xBBBB", T),
                row("p-1", "mysql_servers", 1, "0xBBBB", T));

        assertThat(ClusterChecksums.disagreeingModules(rows)).isEmpty();
    }

    @Test
    void reportsEachDisagreeingModuleWithTheChecksumsSeen() {
        List<PeerChecksum> rows = List.of(
                row("p-0", "mysql_users", 3, "0xAAAA", T),
                row("p-1", "mysql_users", 3, "0xCCCC", T),
                row("p-2", "mysql_users", 3, "0xAAAA", T),
                row("p-0", "mysql_servers", 1, "0xBBBB", T),
                row("p-1", "mysql_servers", 1, "0xBBBB", T));

        assertThat(ClusterChecksums.disagreeingModules(rows)).isEqualTo(Map.of("mysql_users", Set.of("0xAAAA", "0xCCCC")));
    }

    @Test
    void ignoresModulesAPeerHasNotLoadedYet() {
        List<PeerChecksum> rows = List.of(
                row("p-0", "mysql_query_rules", 1, "0xAAAA", T),
                row("p-1", "mysql_query_rules", 0, "0x0000000000000000", T));

        assertThat(ClusterChecksums.disagreeingModules(rows)).isEmpty();
    }

    @Test
    void laggingRowsAreMeasuredAgainstTheFreshestRow() {
        PeerChecksum fresh = row("p-0", "mysql_users", 1, "0xAAAA", T);
        PeerChecksum slightlyOld = row("p-1", "mysql_users", 1, "0xAAAA", T.minusSeconds(5));
        PeerChecksum stale = row("p-2", "mysql_users", 1, "0xAAAA", T.minusSeconds(60));

        assertThat(ClusterChecksums.lagging(List.of(fresh, slightlyOld, stale), Duration.ofSeconds(10)))
                .containsExactly(stale);
        assertThat(ClusterChecksums.lagging(List.of(), Duration.ofSeconds(10))).isEmpty();
    }

    private static PeerChecksum row(String host, String module, long version, String checksum, Instant updatedAt) {
        return new PeerChecksum(host + ".proxy-pods.demo", 6032, module, version, T.minusSeconds(3600), checksum,
                T.minusSeconds(3600), updatedAt, 0);
    }
}
