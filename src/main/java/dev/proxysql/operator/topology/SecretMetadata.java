package dev.proxysql.operator.topology;

import dev.proxysql.operator.api.kubedb.v1.DeletionPolicy;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.kube.OwnerReferences;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;

/**
 * The metadata of a Secret the operator makes for a ProxySQL: KubeDB's offshoot labels, and owned by the ProxySQL
 * (so deleted with it) only under {@code deletionPolicy: WipeOut}. Shared by the provisioner's Secrets and by the
 * certificate Secrets a ReconfigureTLS issues.
 */
public final class SecretMetadata {
    private SecretMetadata() {
    }

    public static ObjectMeta of(ProxySQL p, String name) {
        ObjectMetaBuilder meta = new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(p.getMetadata().getNamespace())
                .withLabels(KubeDbLabels.offshoot(p.getMetadata().getName(), null));
        if (p.getSpec().getDeletionPolicy() == DeletionPolicy.WIPE_OUT) {
            meta.withOwnerReferences(List.of(OwnerReferences.controlledBy(p)));
        }
        return meta.build();
    }
}
