package dev.proxysql.operator.runtime;

import java.util.Set;

/**
 * How one operator process runs.
 *
 * @param provisioner      run the provisioner controller
 * @param opsManager       run the ops-manager controller
 * @param namespaces       namespaces to watch; empty means all
 */
public record OperatorSettings(boolean provisioner, boolean opsManager, Set<String> namespaces) {
}
