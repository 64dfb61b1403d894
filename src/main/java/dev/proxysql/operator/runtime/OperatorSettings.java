package dev.proxysql.operator.runtime;

import dev.proxysql.operator.admission.WebhookSettings;
import java.util.Set;

/**
 * How one operator process runs.
 *
 * @param provisioner     run the provisioner controller
 * @param opsManager      run the ops-manager controller
 * @param namespaces      namespaces to watch; empty means all
 * @param proxysqlChecks  check replaced pods through ProxySQL's admin interface, and put declared and synced users into
 *                        every pod's mysql_users; off only where pods run no process (the local kwok cluster), and
 *                        then every pod's status says the check was skipped and users are not put into ProxySQL
 * @param webhook         the admission webhook, served with the ops manager (see docs/admission.md)
 */
public record OperatorSettings(boolean provisioner, boolean opsManager, Set<String> namespaces, boolean proxysqlChecks,
                               WebhookSettings webhook) {

    /** Without the admission webhook (as the in-process tests run). */
    public OperatorSettings(boolean provisioner, boolean opsManager, Set<String> namespaces, boolean proxysqlChecks) {
        this(provisioner, opsManager, namespaces, proxysqlChecks, WebhookSettings.disabled());
    }
}
