package dev.proxysql.operator.runtime;

import java.util.Set;

/**
 * How one operator process runs.
 *
 * @param provisioner     run the provisioner controller
 * @param opsManager      run the ops-manager controller
 * @param namespaces      namespaces to watch; empty means all
 * @param proxysqlChecks  check replaced pods through ProxySQL's admin interface; off only where pods run no
 *                        process (the local kwok cluster), and then every pod's status says the check was skipped
 */
public record OperatorSettings(boolean provisioner, boolean opsManager, Set<String> namespaces, boolean proxysqlChecks) {
}
