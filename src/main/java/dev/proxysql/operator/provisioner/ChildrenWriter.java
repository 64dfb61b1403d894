package dev.proxysql.operator.provisioner;

import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.kube.ChildApplier;
import dev.proxysql.operator.provisioner.children.PodDisruptionBudgetFactory;
import dev.proxysql.operator.provisioner.children.SecretFactory;
import dev.proxysql.operator.provisioner.children.ServiceFactory;
import dev.proxysql.operator.topology.Monitoring;
import dev.proxysql.operator.topology.ProxySQLNames;
import dev.proxysql.operator.topology.StatefulSetFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Creates, updates and deletes a ProxySQL's children. Every write goes through {@link ChildApplier}, so a settled
 * ProxySQL costs no write; deletions happen only for objects the caches still show.
 */
final class ChildrenWriter {
    /** Looks up a cached child by kind and name in the ProxySQL's namespace. */
    interface Cache extends BiFunction<Class<? extends HasMetadata>, String, Optional<? extends HasMetadata>> {
    }

    private final KubernetesClient client;
    private final ChildApplier applier;
    private final Runnable onWrite;
    private final ServiceMonitorWriter serviceMonitors;

    ChildrenWriter(KubernetesClient client, ChildApplier applier, Runnable onWrite, ServiceMonitorWriter serviceMonitors) {
        this.client = client;
        this.applier = applier;
        this.onWrite = onWrite;
        this.serviceMonitors = serviceMonitors;
    }

    /**
     * Makes the auth Secret exist, never overwriting its data; only a generated one gets labels and owner. An externally
     * managed one ({@code spec.authSecret.externallyManaged}) is never written, not even its metadata (the resolver
     * refuses to go on while it is missing); a user-named one is created without owner, so WipeOut leaves it.
     */
    void ensureAuthSecret(ProxySQL p, Optional<Secret> existing, String newPassword, Cache cache) {
        String name = ProxySQLNames.authSecret(p);
        var ref = p.getSpec().getAuthSecret();
        if (ref != null && Boolean.TRUE.equals(ref.getExternallyManaged())) {
            return;
        }
        boolean generated = name.equals(ProxySQLNames.generatedAuthSecret(p));
        if (!generated && existing.isEmpty()) {
            client.resource(SecretFactory.newUserNamedCredentialsSecret(p, name, ProxySQLNames.CLUSTER_USER, newPassword)).create();
            onWrite.run();
            return;
        }
        ensureCredentialsSecret(p, name, ProxySQLNames.CLUSTER_USER, existing, newPassword, generated, cache);
    }

    /** Makes the monitor Secret exist, never overwriting its data. */
    void ensureMonitorSecret(ProxySQL p, Optional<Secret> existing, String newPassword, Cache cache) {
        ensureCredentialsSecret(p, ProxySQLNames.monitorSecret(p), ProxySQLNames.monitorUser(p), existing, newPassword, true, cache);
    }

    /**
     * Records on the monitor Secret what was last ensured on the backend. A merge patch of one annotation, not an apply:
     * the provisioner's apply of the Secret's metadata must neither own nor remove it.
     */
    void recordMonitorUserEnsured(ProxySQL p, String annotation, String fingerprint) {
        client.secrets().inNamespace(p.getMetadata().getNamespace()).withName(ProxySQLNames.monitorSecret(p))
                .patch(PatchContext.of(PatchType.JSON_MERGE),
                        "{\"metadata\":{\"annotations\":{\"" + annotation + "\":\"" + fingerprint + "\"}}}");
        onWrite.run();
    }

    private void ensureCredentialsSecret(ProxySQL p, String name, String username, Optional<Secret> existing, String newPassword,
                                         boolean generated, Cache cache) {
        if (existing.isEmpty()) {
            client.resource(SecretFactory.newCredentialsSecret(p, name, username, newPassword)).create();
            onWrite.run();
        }
        if (generated) {
            applier.apply(SecretFactory.credentialsSecretMetadata(p, name), typed(cache.apply(Secret.class, name), Secret.class));
        }
    }

    void applyRunningParts(ProxySQL p, String proxysqlCnf, StatefulSetFactory.Inputs inputs, Cache cache) {
        applier.apply(SecretFactory.configSecret(p, proxysqlCnf), typed(cache.apply(Secret.class, ProxySQLNames.configSecret(p)), Secret.class));
        applier.apply(ServiceFactory.governing(p), typed(cache.apply(Service.class, ProxySQLNames.governingService(p)), Service.class));
        applier.apply(ServiceFactory.primary(p), typed(cache.apply(Service.class, ProxySQLNames.primaryService(p)), Service.class));
        if (Monitoring.enabled(p)) {
            applier.apply(ServiceFactory.stats(p), typed(cache.apply(Service.class, ProxySQLNames.statsService(p)), Service.class));
        } else {
            delete(cache.apply(Service.class, ProxySQLNames.statsService(p)));
        }
        serviceMonitors.reconcile(p, true);
        applier.apply(StatefulSetFactory.build(p, inputs), typed(cache.apply(StatefulSet.class, ProxySQLNames.statefulSet(p)), StatefulSet.class));
        if (PodDisruptionBudgetFactory.wanted(p)) {
            applier.apply(PodDisruptionBudgetFactory.build(p),
                    typed(cache.apply(PodDisruptionBudget.class, ProxySQLNames.podDisruptionBudget(p)), PodDisruptionBudget.class));
        } else {
            delete(cache.apply(PodDisruptionBudget.class, ProxySQLNames.podDisruptionBudget(p)));
        }
    }

    /** spec.halted: everything that runs goes; Secrets stay so that un-halting brings back the same credentials. */
    void removeRunningParts(ProxySQL p, Cache cache) {
        delete(cache.apply(StatefulSet.class, ProxySQLNames.statefulSet(p)));
        delete(cache.apply(PodDisruptionBudget.class, ProxySQLNames.podDisruptionBudget(p)));
        delete(cache.apply(Service.class, ProxySQLNames.primaryService(p)));
        delete(cache.apply(Service.class, ProxySQLNames.governingService(p)));
        delete(cache.apply(Service.class, ProxySQLNames.statsService(p)));
        serviceMonitors.reconcile(p, false);
    }

    private void delete(Optional<? extends HasMetadata> live) {
        live.filter(o -> o.getMetadata().getDeletionTimestamp() == null).ifPresent(o -> {
            client.resource(o).delete();
            onWrite.run();
        });
    }

    private static <T extends HasMetadata> T typed(Optional<? extends HasMetadata> o, Class<T> type) {
        return o.map(type::cast).orElse(null);
    }
}
