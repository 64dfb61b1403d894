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
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code mysql_servers} and the hostgroup table that lets ProxySQL's monitor move servers between
 * hostgroups as their role changes. The hostgroup numbers are KubeDB's, so query rules written for
 * KubeDB (e.g. {@code destination_hostgroup=3} for reads) keep working.
 */
public final class BackendTables {

    public static final int OFFLINE_HOSTGROUP = 1;
    public static final int WRITER_HOSTGROUP = 2;
    public static final int READER_HOSTGROUP = 3;
    public static final int BACKUP_WRITER_HOSTGROUP = 4;

    /** Host names and IP addresses; rules out quotes and blanks that would corrupt ProxySQL's SQL. */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.:]*[A-Za-z0-9])?");

    private BackendTables() {
    }

    static List<Setting> render(Backend backend, Problems problems) {
        String serversPath = FieldPaths.child(FieldPaths.BACKEND, "servers");
        int errorsBefore = problems.errorCount();
        if (backend.mode() == null) {
            problems.error(FieldPaths.child(FieldPaths.BACKEND, "mode"), "is required");
        }
        if (backend.servers().isEmpty()) {
            problems.error(serversPath, "at least one backend server is required");
        }
        checkServers(backend.servers(), serversPath, problems);
        if (problems.errorCount() > errorsBefore) {
            // Nothing will be rendered anyway, and the rows below assume valid servers.
            return List.of();
        }
        List<Setting> settings = new ArrayList<>();
        settings.add(new Setting("mysql_servers", new ListValue(serverRows(backend))));
        switch (backend.mode()) {
            case GROUP_REPLICATION -> settings.add(hostgroupTable("mysql_group_replication_hostgroups"));
            case GALERA -> settings.add(hostgroupTable("mysql_galera_hostgroups"));
            case STANDALONE -> {
                // No role detection: every server simply stays in the writer hostgroup.
            }
        }
        return settings;
    }

    private static void checkServers(List<BackendServer> servers, String path, Problems problems) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < servers.size(); i++) {
            BackendServer server = servers.get(i);
            String serverPath = FieldPaths.index(path, i);
            if (server == null || server.host() == null || !HOST.matcher(server.host()).matches()) {
                problems.error(FieldPaths.child(serverPath, "host"), "must be a DNS name or IP address, got '"
                        + (server == null ? null : server.host()) + "'");
                continue;
            }
            if (server.port() < 1 || server.port() > 65535) {
                problems.error(FieldPaths.child(serverPath, "port"), "must be between 1 and 65535, got " + server.port());
            }
            if (!seen.add(server.host() + ":" + server.port())) {
                problems.error(serverPath, "duplicate server " + server.host() + ":" + server.port());
            }
        }
    }

    /**
     * Every server in the writer hostgroup; with role detection also in the reader hostgroup, as KubeDB
     * does. The monitor then moves non-primaries out of the writer hostgroup on its first check.
     */
    private static List<LibconfigValue> serverRows(Backend backend) {
        List<Integer> hostgroups = backend.mode() == BackendMode.STANDALONE
                ? List.of(WRITER_HOSTGROUP)
                : List.of(WRITER_HOSTGROUP, READER_HOSTGROUP);
        List<LibconfigValue> rows = new ArrayList<>();
        for (int hostgroup : hostgroups) {
            for (BackendServer server : backend.servers()) {
                rows.add(new Group(List.of(
                        new Setting("hostgroup_id", new Int(hostgroup)),
                        new Setting("hostname", new Str(server.host())),
                        new Setting("port", new Int(server.port())),
                        new Setting("use_ssl", new Int(server.useSsl() ? 1 : 0)))));
            }
        }
        return rows;
    }

    private static Setting hostgroupTable(String tableName) {
        Group row = new Group(List.of(
                new Setting("writer_hostgroup", new Int(WRITER_HOSTGROUP)),
                new Setting("backup_writer_hostgroup", new Int(BACKUP_WRITER_HOSTGROUP)),
                new Setting("reader_hostgroup", new Int(READER_HOSTGROUP)),
                new Setting("offline_hostgroup", new Int(OFFLINE_HOSTGROUP)),
                new Setting("active", new Int(1)),
                new Setting("max_writers", new Int(1)),
                new Setting("writer_is_also_reader", new Int(1)),
                new Setting("max_transactions_behind", new Int(0))));
        return new Setting(tableName, new ListValue(List.of(row)));
    }
}
