package dev.proxysql.operator.proxysql.config;

import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Group;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Int;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.ListValue;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Setting;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Str;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code proxysql_servers}: the ProxySQL Cluster peers, each reached on its admin port. A single
 * ProxySQL has no peers, so the table is left out, which keeps it from trying to sync with itself.
 */
final class ProxySqlServersTable {

    static final int ADMIN_PORT = 6032;
    private static final Pattern DNS_NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?");

    private ProxySqlServersTable() {
    }

    static Optional<Setting> render(List<String> peers, Problems problems) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < peers.size(); i++) {
            String peer = peers.get(i);
            String path = FieldPaths.index(FieldPaths.PROXYSQL_PEERS, i);
            if (peer == null || !DNS_NAME.matcher(peer).matches()) {
                problems.error(path, "must be a DNS name, got '" + peer + "'");
            } else if (!seen.add(peer)) {
                problems.error(path, "duplicate ProxySQL server " + peer);
            }
        }
        if (peers.size() < 2) {
            return Optional.empty();
        }
        List<LibconfigValue> rows = new ArrayList<>();
        for (String peer : peers) {
            rows.add(new Group(List.of(
                    new Setting("hostname", new Str(String.valueOf(peer))),
                    new Setting("port", new Int(ADMIN_PORT)),
                    new Setting("weight", new Int(1)))));
        }
        return Optional.of(new Setting("proxysql_servers", new ListValue(rows)));
    }
}
