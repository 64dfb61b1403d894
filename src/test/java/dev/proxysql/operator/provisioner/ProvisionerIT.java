package dev.proxysql.operator.provisioner;

import static dev.proxysql.operator.testing.OperatorFixture.createBackend;
import static dev.proxysql.operator.testing.OperatorFixture.proxysql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxysql.operator.api.common.Condition;
import dev.proxysql.operator.api.kubedb.v1.DatabasePhase;
import dev.proxysql.operator.api.kubedb.v1.DeletionPolicy;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.kubedb.v1.ProxySQLStatus;
import dev.proxysql.operator.kube.Conditions;
import dev.proxysql.operator.provisioner.status.ConditionTypes;
import dev.proxysql.operator.testing.InProcessOperator;
import dev.proxysql.operator.testing.OperatorFixture;
import dev.proxysql.operator.testing.cluster.AuditLog;
import dev.proxysql.operator.testing.cluster.Await;
import dev.proxysql.operator.testing.cluster.LocalCluster;
import dev.proxysql.operator.testing.cluster.TestCluster;
import dev.proxysql.operator.testing.cluster.TestNamespace;
import dev.proxysql.operator.topology.PauseProtocol;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@LocalCluster
class ProvisionerIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    @RegisterExtension
    static final InProcessOperator OPERATOR = new InProcessOperator(OperatorFixture::startProvisioner);


    @Test
    void createsEverythingAProxySQLNeedsAndBecomesReady(KubernetesClient client, TestNamespace ns) {
        createBackend(client, ns.name());
        client.resource(proxysql(ns.name(), "px", "2.6.3-debian", 3)).create();

        ProxySQL ready = awaitPhase(client, ns, "px", DatabasePhase.READY);
        assertThat(Conditions.isTrue(ready.getStatus().getConditions(), ConditionTypes.PROVISIONED)).isTrue();
        assertThat(ready.getStatus().getObservedGeneration()).isEqualTo(ready.getMetadata().getGeneration());

        StatefulSet sts = client.apps().statefulSets().withName("px").get();
        assertThat(sts.getSpec().getUpdateStrategy().getType()).isEqualTo("OnDelete");
        assertThat(sts.getSpec().getReplicas()).isEqualTo(3);
        assertThat(sts.getSpec().getServiceName()).isEqualTo("px-pods");
        var container = sts.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getImage()).isEqualTo("ghcr.io/kubedb/proxysql:2.6.3-debian");
        assertThat(container.getPorts()).extracting(p -> p.getContainerPort()).containsExactly(6033, 6032);
        assertThat(container.getReadinessProbe()).isNotNull();
        assertThat(container.getLivenessProbe()).isNotNull();
        assertThat(container.getVolumeMounts()).anyMatch(m -> m.getMountPath().equals("/etc/custom-config"));
        assertThat(sts.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getUid()).isEqualTo(ready.getMetadata().getUid()));

        Service primary = client.services().withName("px").get();
        assertThat(primary.getSpec().getPorts()).extracting(p -> p.getPort()).containsExactly(6033);
        Service governing = client.services().withName("px-pods").get();
        assertThat(governing.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(governing.getSpec().getPublishNotReadyAddresses()).isTrue();
        assertThat(governing.getSpec().getPorts()).extracting(p -> p.getPort()).containsExactlyInAnyOrder(6032, 6033);
        assertThat(client.services().withName("px-stats").get()).as("no stats Service without monitoring").isNull();

        Secret auth = client.secrets().withName("px-auth").get();
        assertThat(text(auth, "username")).isEqualTo("cluster");
        assertThat(text(auth, "password")).hasSize(24).matches("[A-Za-z0-9]+");
        String cnf = text(client.secrets().withName("px-configuration").get(), "proxysql.cnf");
        assertThat(cnf).contains("cluster:" + text(auth, "password"))
                .contains("mysql_group_replication_hostgroups")
                .contains("mysql-server.%s.svc".formatted(ns.name()))
                .contains("px-0.px-pods.%s.svc".formatted(ns.name()))
                .contains("px-2.px-pods.%s.svc".formatted(ns.name()))
                .contains("monitor_username=\"" + text(client.secrets().withName("px-monitor").get(), "username") + "\"")
                .containsPattern("monitor_username=\"proxysql_[0-9a-f]{8}\"");
        assertTheBackendsCredentialsStayWithTheOperator(client, ns, "px", cnf, container.getEnv());

        PodDisruptionBudget pdb = client.policy().v1().podDisruptionBudget().withName("px").get();
        assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        List<Pod> pods = client.pods().withLabel("app.kubernetes.io/instance", "px").list().getItems();
        assertThat(pods).hasSize(3).allSatisfy(p -> assertThat(p.getSpec().getNodeName()).isNotBlank());
    }

    @Test
    void podsPassTheRestrictedPodSecurityStandard(KubernetesClient client, TestNamespace ns) {
        client.namespaces().withName(ns.name()).edit(n -> {
            n.getMetadata().getLabels().put("pod-security.kubernetes.io/enforce", "restricted");
            return n;
        });
        createBackend(client, ns.name());
        client.resource(proxysql(ns.name(), "secure", "2.6.3-debian", 2)).create();
        awaitPhase(client, ns, "secure", DatabasePhase.READY);
        assertThat(client.pods().withLabel("app.kubernetes.io/instance", "secure").list().getItems()).hasSize(2);
    }

    @Test
    void aSingleReplicaGetsNoDisruptionBudget(KubernetesClient client, TestNamespace ns) {
        createBackend(client, ns.name());
        client.resource(proxysql(ns.name(), "one", "2.6.3-debian", 1)).create();
        awaitPhase(client, ns, "one", DatabasePhase.READY);
        assertThat(client.policy().v1().podDisruptionBudget().withName("one").get()).isNull();
    }

    @Test
    void missingReferencesAreNamedNothingIsCreatedAndItRecoversWhenTheyAppear(KubernetesClient client, TestNamespace ns) {
        client.resource(proxysql(ns.name(), "early", "2.6.3-debian", 1)).create();
        ProxySQL waiting = awaitCondition(client, ns, "early", ConditionTypes.DEPENDENCY_READY,
                c -> "False".equals(c.getStatus()) && "BackendNotFound".equals(c.getReason()));
        assertThat(waiting.getStatus().getPhase()).isEqualTo(DatabasePhase.NOT_READY);
        assertThat(Conditions.find(waiting.getStatus().getConditions(), ConditionTypes.DEPENDENCY_READY).orElseThrow().getMessage())
                .contains("spec.backend").contains("mysql-server");
        assertThat(client.apps().statefulSets().withName("early").get()).isNull();
        assertThat(client.secrets().withName("early-auth").get()).as("nothing half-created").isNull();

        createBackend(client, ns.name());
        awaitPhase(client, ns, "early", DatabasePhase.READY);
    }

    @Test
    void unknownAndDeprecatedVersionsAreReportedOnTheField(KubernetesClient client, TestNamespace ns) {
        createBackend(client, ns.name());
        client.resource(proxysql(ns.name(), "typo", "2.6.3-debain", 1)).create();
        ProxySQL typo = awaitCondition(client, ns, "typo", ConditionTypes.DEPENDENCY_READY,
                c -> "ProxySQLVersionNotFound".equals(c.getReason()));
        assertThat(message(typo, ConditionTypes.DEPENDENCY_READY)).contains("spec.version").contains("2.6.3-debain");

        client.resource(proxysql(ns.name(), "old", "2.3.2", 1)).create();
        ProxySQL old = awaitCondition(client, ns, "old", ConditionTypes.DEPENDENCY_READY,
                c -> "ProxySQLVersionDeprecated".equals(c.getReason()));
        assertThat(message(old, ConditionTypes.DEPENDENCY_READY)).contains("deprecated");
        assertThat(client.apps().statefulSets().withName("old").get()).isNull();
    }

    @Test
    void aDirectEditOfTheVersionIsRejectedWithAPointerToOpsRequests(KubernetesClient client, TestNamespace ns) {
        createBackend(client, ns.name());
        client.resource(proxysql(ns.name(), "pinned", "2.6.3-debian", 1)).create();
        awaitPhase(client, ns, "pinned", DatabasePhase.READY);
        assertThatThrownBy(() -> client.resources(ProxySQL.class).withName("pinned").edit(p -> {
            p.getSpec().setVersion("2.7.3-debian");
            return p;
        })).isInstanceOf(KubernetesClientException.class)
                .hasMessageContaining("spec.version cannot be edited directly")
                .hasMessageContaining("ProxySQLOpsRequest");
    }

    @Test
    void whilePausedNoChildChangesAndWorkResumesWhenThePauseEnds(KubernetesClient client, TestNamespace ns) {
        createBackend(client, ns.name());
        client.resource(proxysql(ns.name(), "held", "2.6.3-debian", 3)).create();
        awaitPhase(client, ns, "held", DatabasePhase.READY);

        setPaused(client, ns, "held", true);
        awaitCondition(client, ns, "held", PauseProtocol.PROVISIONER_PAUSED, Condition::isTrue);
        ProxySQL scaled = client.resources(ProxySQL.class).withName("held").edit(p -> {
            p.getSpec().setReplicas(2);
            return p;
        });
        long generation = scaled.getMetadata().getGeneration();
        Await.until(TIMEOUT, "the provisioner to observe generation " + generation + " while paused",
                () -> observedGeneration(client, "held") >= generation);
        assertThat(client.apps().statefulSets().withName("held").get().getSpec().getReplicas())
                .as("StatefulSet untouched while paused").isEqualTo(3);

        setPaused(client, ns, "held", false);
        Await.until(TIMEOUT, "StatefulSet held scaled to 2 once the pause ended",
                () -> client.apps().statefulSets().withName("held").get().getSpec().getReplicas() == 2);
        ProxySQL resumed = Await.until(TIMEOUT, "ProvisionerPaused withdrawn from held after the pause ended",
                () -> client.resources(ProxySQL.class).withName("held").get(),
                p -> Conditions.find(p.getStatus().getConditions(), PauseProtocol.PROVISIONER_PAUSED).isEmpty());
        assertThat(resumed.getStatus().getPhase()).isEqualTo(DatabasePhase.READY);
        assertThat(client.policy().v1().podDisruptionBudget().withName("held").get()).isNotNull();
    }

    @Test
    void haltingRemovesRunningPartsKeepsSecretsAndUnhaltingRestoresThem(KubernetesClient client, TestNamespace ns) {
        createBackend(client, ns.name());
        client.resource(proxysql(ns.name(), "nap", "2.6.3-debian", 2)).create();
        awaitPhase(client, ns, "nap", DatabasePhase.READY);
        String password = text(client.secrets().withName("nap-auth").get(), "password");

        client.resources(ProxySQL.class).withName("nap").edit(p -> {
            p.getSpec().setHalted(true);
            return p;
        });
        awaitPhase(client, ns, "nap", DatabasePhase.HALTED);
        Await.until(TIMEOUT, "StatefulSet, Services and PDB of nap deleted",
                () -> client.apps().statefulSets().withName("nap").get() == null
                        && client.services().withName("nap").get() == null
                        && client.services().withName("nap-pods").get() == null
                        && client.policy().v1().podDisruptionBudget().withName("nap").get() == null);
        assertThat(client.secrets().withName("nap-auth").get()).isNotNull();
        assertThat(client.secrets().withName("nap-configuration").get()).isNotNull();
        assertThat(client.secrets().withName("nap-monitor").get()).isNotNull();

        client.resources(ProxySQL.class).withName("nap").edit(p -> {
            p.getSpec().setHalted(false);
            return p;
        });
        awaitPhase(client, ns, "nap", DatabasePhase.READY);
        assertThat(text(client.secrets().withName("nap-auth").get(), "password")).as("same credentials").isEqualTo(password);
    }

    @Test
    void deletionPolicies(KubernetesClient client, TestNamespace ns) {
        createBackend(client, ns.name());
        ProxySQL guarded = proxysql(ns.name(), "guarded", "2.6.3-debian", 1);
        guarded.getSpec().setDeletionPolicy(DeletionPolicy.DO_NOT_TERMINATE);
        client.resource(guarded).create();
        ProxySQL keep = proxysql(ns.name(), "keep", "2.6.3-debian", 1);
        client.resource(keep).create();
        ProxySQL wipe = proxysql(ns.name(), "wipe", "2.6.3-debian", 1);
        wipe.getSpec().setDeletionPolicy(DeletionPolicy.WIPE_OUT);
        client.resource(wipe).create();
        // WipeOut with an auth Secret the user named (created by the operator as it does not exist yet): it must stay.
        ProxySQL named = proxysql(ns.name(), "wipenamed", "2.6.3-debian", 1);
        named.getSpec().setDeletionPolicy(DeletionPolicy.WIPE_OUT);
        named.getSpec().setAuthSecret(new dev.proxysql.operator.api.kubedb.v1.SecretReference());
        named.getSpec().getAuthSecret().setName("users-own-auth");
        client.resource(named).create();
        // WipeOut with an externally managed auth Secret: the operator never writes it (no labels, no owner, same version).
        client.secrets().resource(new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata().withName("vault-auth")
                .endMetadata().withType("kubernetes.io/basic-auth").addToStringData("username", "cluster")
                .addToStringData("password", "FromVault42").build()).create();
        String externalVersion = client.secrets().withName("vault-auth").get().getMetadata().getResourceVersion();
        ProxySQL external = proxysql(ns.name(), "wipeext", "2.6.3-debian", 1);
        external.getSpec().setDeletionPolicy(DeletionPolicy.WIPE_OUT);
        external.getSpec().setAuthSecret(new dev.proxysql.operator.api.kubedb.v1.SecretReference());
        external.getSpec().getAuthSecret().setName("vault-auth");
        external.getSpec().getAuthSecret().setExternallyManaged(true);
        client.resource(external).create();
        for (String name : List.of("guarded", "keep", "wipe", "wipenamed", "wipeext")) {
            awaitPhase(client, ns, name, DatabasePhase.READY);
        }

        assertThatThrownBy(() -> client.resources(ProxySQL.class).withName("guarded").delete())
                .isInstanceOf(KubernetesClientException.class)
                .hasMessageContaining("DoNotTerminate").hasMessageContaining("spec.deletionPolicy");
        assertThat(client.resources(ProxySQL.class).withName("guarded").get()).isNotNull();
        client.resources(ProxySQL.class).withName("guarded").edit(p -> {
            p.getSpec().setDeletionPolicy(DeletionPolicy.DELETE);
            return p;
        });

        client.resources(ProxySQL.class).withName("keep").delete();
        client.resources(ProxySQL.class).withName("wipe").delete();
        client.resources(ProxySQL.class).withName("wipenamed").delete();
        client.resources(ProxySQL.class).withName("wipeext").delete();
        Await.until(TIMEOUT, "the StatefulSets of keep and wipe garbage-collected",
                () -> client.apps().statefulSets().withName("keep").get() == null
                        && client.apps().statefulSets().withName("wipe").get() == null);
        Await.until(TIMEOUT, "the configuration Secrets of wipenamed and wipeext garbage-collected",
                () -> client.secrets().withName("wipenamed-configuration").get() == null
                        && client.secrets().withName("wipeext-configuration").get() == null);
        assertThat(client.secrets().withName("users-own-auth").get()).as("WipeOut keeps a user-named auth Secret").isNotNull();
        assertThat(client.secrets().withName("users-own-auth").get().getMetadata().getOwnerReferences()).isEmpty();
        assertThat(client.secrets().withName("vault-auth").get().getMetadata().getResourceVersion())
                .as("an externally managed auth Secret is never written").isEqualTo(externalVersion);
        Await.until(TIMEOUT, "the Secrets of wipe garbage-collected",
                () -> client.secrets().withName("wipe-auth").get() == null && client.secrets().withName("wipe-configuration").get() == null
                        && client.secrets().withName("wipe-monitor").get() == null);
        assertThat(client.secrets().withName("keep-auth").get()).as("Delete keeps the auth Secret").isNotNull();
        assertThat(client.secrets().withName("keep-configuration").get()).as("Delete keeps the configuration Secret").isNotNull();
        assertThat(client.secrets().withName("keep-monitor").get()).as("Delete keeps the monitor Secret").isNotNull();
    }

    @Test
    void aSettledProxySQLIsReconciledWithoutAnyWrite(KubernetesClient client, TestNamespace ns, TestCluster cluster) {
        createBackend(client, ns.name());
        client.resource(proxysql(ns.name(), "calm", "2.6.3-debian", 3)).create();
        awaitPhase(client, ns, "calm", DatabasePhase.READY);
        var audit = cluster.auditLog().orElseThrow(() -> new AssertionError("the local cluster runs with an audit log"));
        Predicate<AuditLog.Event> operatorWriteHere = e -> e.userAgentStartsWith(OperatorFixture.OPERATOR_USER_AGENT)
                && ns.name().equals(e.namespace());
        // The write counter is process-wide: ProxySQLs of earlier tests whose namespaces are still being deleted would be
        // counted too, so wait until none is left. (A namespace kept after a failed test is not being deleted: its
        // ProxySQLs get no event and cause no write.)
        Await.until(TIMEOUT, "ProxySQLs in namespaces being deleted to be gone", () -> client.resources(ProxySQL.class)
                .inAnyNamespace().list().getItems().stream()
                .map(p -> p.getMetadata().getNamespace()).filter(other -> !ns.name().equals(other))
                .map(other -> client.namespaces().withName(other).get())
                .noneMatch(n -> n != null && n.getMetadata().getDeletionTimestamp() != null));
        int writesBefore = audit.events(operatorWriteHere).size();
        double writesBeforeMetric = OPERATOR.operator().provisionerMetrics().writeCount();
        // Changes outside the spec still trigger reconciles, which must find nothing to do. Two of them, so that a
        // write made while settling would have shown up by the second.
        for (String touch : List.of("first", "second")) {
            double reconcilesBefore = OPERATOR.operator().provisionerMetrics().reconcileCount();
            client.resources(ProxySQL.class).withName("calm").edit(p -> {
                p.getMetadata().getLabels().put("touched", touch);
                return p;
            });
            Await.until(TIMEOUT, "a reconcile after the " + touch + " label change",
                    () -> OPERATOR.operator().provisionerMetrics().reconcileCount() > reconcilesBefore);
        }
        assertThat(OPERATOR.operator().provisionerMetrics().writeCount()).as("writes counted by the provisioner").isEqualTo(writesBeforeMetric);
        Await.until(TIMEOUT, "the audit log to be flushed past the label change",
                () -> audit.events(e -> "patch".equals(e.verb()) || "update".equals(e.verb())).stream()
                        .anyMatch(e -> "proxysqls".equals(e.resource()) && ns.name().equals(e.namespace())
                                && !e.userAgentStartsWith(OperatorFixture.OPERATOR_USER_AGENT)));
        assertThat(audit.events(operatorWriteHere)).as("API writes by the operator in %s after it settled", ns.name())
                .hasSize(writesBefore);
    }

    /**
     * The monitor user has its own Secret; nothing the ProxySQL owns (its Secrets, its pod spec) carries the backend's
     * password; and the monitor user's condition names the fake backend, which cannot be reached.
     */
    private static void assertTheBackendsCredentialsStayWithTheOperator(KubernetesClient client, TestNamespace ns, String name,
                                                                      String cnf, List<EnvVar> env) {
        Secret monitor = client.secrets().withName(name + "-monitor").get();
        assertThat(monitor.getType()).isEqualTo("kubernetes.io/basic-auth");
        assertThat(text(monitor, "username")).matches("proxysql_[0-9a-f]{8}");
        assertThat(text(monitor, "password")).hasSize(24).matches("[A-Za-z0-9]+");
        assertThat(cnf).contains("monitor_password=\"" + text(monitor, "password") + "\"");
        assertThat(env).filteredOn(e -> e.getName().startsWith("BACKEND_AUTH_"))
                .extracting(e -> e.getValueFrom().getSecretKeyRef().getName()).containsOnly(name + "-monitor").hasSize(2);

        String backendPassword = text(client.secrets().withName(OperatorFixture.BACKEND + "-auth").get(), "password");
        List<Secret> owned = client.secrets().withLabel("app.kubernetes.io/instance", name).list().getItems();
        assertThat(owned).extracting(s -> s.getMetadata().getName())
                .containsExactlyInAnyOrder(name + "-auth", name + "-configuration", name + "-monitor");
        assertThat(owned).allSatisfy(s -> assertThat(s.getData().values()).allSatisfy(v ->
                assertThat(new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)).doesNotContain(backendPassword)));
        assertThat(Serialization.asJson(client.apps().statefulSets().withName(name).get().getSpec()))
                .doesNotContain(backendPassword).doesNotContain(OperatorFixture.BACKEND + "-auth");

        ProxySQL withCondition = awaitCondition(client, ns, name, ConditionTypes.MONITOR_USER_READY, c -> "False".equals(c.getStatus()));
        Condition condition = Conditions.find(withCondition.getStatus().getConditions(), ConditionTypes.MONITOR_USER_READY).orElseThrow();
        assertThat(condition.getReason()).isEqualTo("BackendUnreachable");
        assertThat(condition.getMessage()).contains("mysql-server.%s.svc:3306".formatted(ns.name()), "unreachable")
                .doesNotContain(backendPassword).doesNotContain(text(monitor, "password"));
        assertThat(withCondition.getStatus().getPhase()).as("the monitor user does not enter the phase").isEqualTo(DatabasePhase.READY);
        assertThat(monitor.getMetadata().getAnnotations()).as("nothing recorded as ensured").doesNotContainKey("proxysql.dev/monitor-user-ensured");
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    static ProxySQL awaitPhase(KubernetesClient client, TestNamespace ns, String name, DatabasePhase phase) {
        return Await.until(TIMEOUT, "ProxySQL " + ns.name() + "/" + name + " in phase " + phase,
                () -> client.resources(ProxySQL.class).withName(name).get(),
                p -> p != null && p.getStatus() != null && p.getStatus().getPhase() == phase);
    }

    static ProxySQL awaitCondition(KubernetesClient client, TestNamespace ns, String name, String type, Predicate<Condition> matches) {
        return Await.until(TIMEOUT, "ProxySQL " + ns.name() + "/" + name + " with a matching " + type + " condition",
                () -> client.resources(ProxySQL.class).withName(name).get(),
                p -> p != null && p.getStatus() != null && Conditions.find(p.getStatus().getConditions(), type).filter(matches).isPresent());
    }

    private static long observedGeneration(KubernetesClient client, String name) {
        ProxySQLStatus s = client.resources(ProxySQL.class).withName(name).get().getStatus();
        return s == null || s.getObservedGeneration() == null ? 0 : s.getObservedGeneration();
    }

    private static String message(ProxySQL p, String type) {
        return Conditions.find(p.getStatus().getConditions(), type).orElseThrow().getMessage();
    }

    /** Sets or clears Paused the way the ops manager does: a server-side apply of its own condition. */
    static void setPaused(KubernetesClient client, TestNamespace ns, String name, boolean paused) {
        ProxySQL patch = new ProxySQL();
        patch.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns.name()).build());
        ProxySQLStatus status = new ProxySQLStatus();
        if (paused) {
            Condition c = new Condition(PauseProtocol.PAUSED, "True", "PausedByTest", "paused by " + ProvisionerIT.class.getSimpleName());
            c.setLastTransitionTime("2026-01-01T00:00:00Z");
            status.setConditions(List.of(c));
        }
        patch.setStatus(status);
        client.resources(ProxySQL.class).withName(name).subresource("status").patch(new PatchContext.Builder()
                .withPatchType(PatchType.SERVER_SIDE_APPLY).withFieldManager("test-ops-manager").withForce(true).build(), patch);
    }

    private static String text(Secret s, String key) {
        if (s.getStringData() != null && s.getStringData().containsKey(key)) {
            return s.getStringData().get(key);
        }
        return new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.UTF_8);
    }

}
