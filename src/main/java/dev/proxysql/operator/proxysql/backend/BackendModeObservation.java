package dev.proxysql.operator.proxysql.backend;

import java.util.List;

/**
 * What one backend server says about its replication, read by {@link BackendModeReader}: the raw facts, no verdict
 * (the provisioner decides the mode from them). A value is null when the server does not have that variable.
 *
 * @param version               {@code @@version}
 * @param wsrepOn               {@code wsrep_on} (MariaDB and Percona XtraDB Cluster have it; MySQL does not)
 * @param wsrepProvider         {@code wsrep_provider}: the Galera library, or {@code none}
 * @param wsrepClusterSize      status {@code wsrep_cluster_size}, when the server reports it
 * @param wsrepClusterStatus    status {@code wsrep_cluster_status}: Primary, non-Primary, Disconnected
 * @param pxcMaintMode          {@code pxc_maint_mode}: only Percona XtraDB Cluster has it
 * @param groupReplicationPlugin {@code PLUGIN_STATUS} of the {@code group_replication} plugin (ACTIVE...), null when
 *                              it is not installed
 * @param groupMembers          {@code performance_schema.replication_group_members}, read only when that plugin is
 *                              ACTIVE; empty otherwise
 */
public record BackendModeObservation(String version, String wsrepOn, String wsrepProvider, Integer wsrepClusterSize,
                                     String wsrepClusterStatus, String pxcMaintMode, String groupReplicationPlugin,
                                     List<GroupMember> groupMembers) {

    public BackendModeObservation {
        groupMembers = groupMembers == null ? List.of() : List.copyOf(groupMembers);
    }

    /** One row of {@code replication_group_members}; {@code role} is null before MySQL 8.0.2 (no MEMBER_ROLE). */
    public record GroupMember(String host, int port, String state, String role) {
    }
}
