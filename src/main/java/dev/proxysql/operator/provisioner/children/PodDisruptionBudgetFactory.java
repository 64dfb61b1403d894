package dev.proxysql.operator.provisioner.children;

import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.kube.OwnerReferences;
import dev.proxysql.operator.topology.KubeDbLabels;
import dev.proxysql.operator.topology.ProxySQLNames;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;

/**
 * At most one ProxySQL pod voluntarily down at a time. Only for more than one replica: with one replica a budget of
 * one unavailable pod protects nothing, and maxUnavailable 0 would block node drains forever.
 */
public final class PodDisruptionBudgetFactory {
    private PodDisruptionBudgetFactory() {
    }

    public static boolean wanted(ProxySQL p) {
        return ProxySQLNames.replicas(p) > 1;
    }

    public static PodDisruptionBudget build(ProxySQL p) {
        return new PodDisruptionBudgetBuilder()
                .withNewMetadata()
                .withName(ProxySQLNames.podDisruptionBudget(p))
                .withNamespace(p.getMetadata().getNamespace())
                .withLabels(KubeDbLabels.offshoot(p.getMetadata().getName(), null))
                .withOwnerReferences(OwnerReferences.controlledBy(p))
                .endMetadata()
                .withNewSpec()
                .withMaxUnavailable(new IntOrString(1))
                .withNewSelector().withMatchLabels(KubeDbLabels.selector(p.getMetadata().getName())).endSelector()
                .endSpec()
                .build();
    }
}
