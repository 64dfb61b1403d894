package dev.proxysql.operator.opsmanager.checks;

import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.opsmanager.rolling.VerifyResult;

/** The check made on a replaced pod after Kubernetes reports it Ready: does ProxySQL itself run the right version? */
public interface ProxySQLLevelCheck {
    /**
     * @param expectedRelease the ProxySQL release the pod must run: its ProxySQLVersion's {@code spec.version} (e.g.
     *                        {@code 2.7.3} for the catalog entry {@code 2.7.3-debian})
     */
    VerifyResult verify(ProxySQL proxysql, String pod, String expectedRelease);

    /**
     * The nodes' admin interfaces, for what a HorizontalScaling tells them ({@code proxysql_servers}, drains); empty
     * when the operator does not talk to ProxySQL (checks off: pods that run no process).
     */
    default java.util.Optional<ClusterMembers> members() {
        return java.util.Optional.empty();
    }

    /**
     * For clusters whose pods run no process (the local kwok cluster): the operator setting
     * {@code --proxysql-checks=false} selects this, and every pod's status says the check was skipped.
     */
    static ProxySQLLevelCheck skipped() {
        return (proxysql, pod, expected) -> VerifyResult.passed(
                "ProxySQL-level check skipped: disabled by operator setting --proxysql-checks=false");
    }
}
