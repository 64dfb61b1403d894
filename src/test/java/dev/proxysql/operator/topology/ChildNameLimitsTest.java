package dev.proxysql.operator.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.kubedb.v1.ProxySQLSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ProxySQL#MAX_NAME_LENGTH} is the real limit: every child of a ProxySQL of that name (and 50 replicas, the
 * CRD's maximum) has a valid name, and one more character breaks the tightest, the pods' controller-revision-hash label.
 */
class ChildNameLimitsTest {
    private static final int LABEL = 63;
    private static final int SUBDOMAIN = 253;
    /** The StatefulSet controller's revision hash (a safe-encoded 32-bit FNV hash) is at most 10 characters. */
    private static final int REVISION_HASH = 10;
    private static final int MAX_ORDINAL = 49;

    @Test
    void everyChildOfAProxySqlWithTheLongestNameFits() {
        ProxySQL p = proxysql("a".repeat(ProxySQL.MAX_NAME_LENGTH));
        assertThat(revisionLabel(p)).hasSizeLessThanOrEqualTo(LABEL);
        for (String dnsLabel : List.of(ProxySQLNames.statefulSet(p), ProxySQLNames.primaryService(p), ProxySQLNames.governingService(p),
                ProxySQLNames.statsService(p), ProxySQLNames.statefulSet(p) + "-" + MAX_ORDINAL, ProxySQLNames.podDisruptionBudget(p))) {
            assertThat(dnsLabel).as("a DNS label (Services, pod hostnames, label values)").hasSizeLessThanOrEqualTo(LABEL);
        }
        for (String secret : List.of(ProxySQLNames.configSecret(p), ProxySQLNames.generatedAuthSecret(p), ProxySQLNames.monitorSecret(p),
                TlsLayout.certSecret(p, "server"), TlsLayout.certSecret(p, "client"), TlsLayout.operatorCaSecret(p))) {
            assertThat(secret).as("a DNS subdomain (Secrets, Certificates)").hasSizeLessThanOrEqualTo(SUBDOMAIN);
        }
        assertThat(ProxySQLNames.podHost(p, MAX_ORDINAL)).as("a pod's DNS name in a namespace of 63 characters")
                .hasSizeLessThanOrEqualTo(SUBDOMAIN - "x".repeat(LABEL).length());
    }

    @Test
    void oneMoreCharacterBreaksThePodsRevisionLabel() {
        assertThat(revisionLabel(proxysql("a".repeat(ProxySQL.MAX_NAME_LENGTH + 1)))).hasSizeGreaterThan(LABEL);
    }

    private static String revisionLabel(ProxySQL p) {
        return ProxySQLNames.statefulSet(p) + "-" + "h".repeat(REVISION_HASH);
    }

    private static ProxySQL proxysql(String name) {
        ProxySQL p = new ProxySQL();
        p.setMetadata(new ObjectMetaBuilder().withNamespace("n").withName(name).build());
        p.setSpec(new ProxySQLSpec());
        return p;
    }
}
