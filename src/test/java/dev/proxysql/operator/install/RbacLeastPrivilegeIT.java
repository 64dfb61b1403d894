package dev.proxysql.operator.install;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.kubedb.v1.AgentSpec;
import dev.proxysql.operator.api.kubedb.v1.DatabasePhase;
import dev.proxysql.operator.api.kubedb.v1.DeletionPolicy;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestPhase;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.opsmanager.queue.QueueStamp;
import dev.proxysql.operator.provisioner.children.ServiceMonitorFactory;
import dev.proxysql.operator.testing.InstalledWebhooks;
import dev.proxysql.operator.testing.OpsRequests;
import dev.proxysql.operator.testing.Manifests;
import dev.proxysql.operator.opsmanager.OpsFixture;
import dev.proxysql.operator.testing.OperatorFixture;
import dev.proxysql.operator.testing.OperatorProcess;
import dev.proxysql.operator.testing.ServiceAccountKubeconfig;
import dev.proxysql.operator.testing.ServiceMonitorCrd;
import dev.proxysql.operator.testing.CertificateCrd;
import dev.proxysql.operator.api.common.TypedLocalObjectReference;
import dev.proxysql.operator.api.kubedb.v1.TLSConfig;
import dev.proxysql.operator.tls.CertificateFactory;
import dev.proxysql.operator.testing.cluster.AuditLog;
import dev.proxysql.operator.testing.cluster.Await;
import dev.proxysql.operator.testing.cluster.LocalCluster;
import dev.proxysql.operator.testing.cluster.NamespaceLabels;
import dev.proxysql.operator.testing.cluster.TestCluster;
import dev.proxysql.operator.testing.cluster.TestNamespace;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributesBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Least privilege, proven on a real API server (RBAC on, OwnerReferencesPermissionEnforcement admission on): the
 * roles of deploy/install are installed, the packaged operator runs with a token of its ServiceAccount and the
 * Deployment's flags (leader election, admission webhook with a generated certificate), and the audit log — which
 * records every request of that ServiceAccount (hack/control-plane/audit-policy.yaml) — must show no 403, and every
 * granted verb used. RbacAllowlistTest pins the roles; this proves they are enough, and needed.
 */
@LocalCluster
@NamespaceLabels(RbacLeastPrivilegeIT.NAMESPACE_LABEL + "=true")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RbacLeastPrivilegeIT {
    static final String NAMESPACE = "proxysql-operator-system";
    static final String ACCOUNT = "proxysql-operator";
    static final String USER = ServiceAccountKubeconfig.userName(NAMESPACE, ACCOUNT);
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final Path OPERATOR_DIR = Path.of("deploy/install/operator");

    /**
     * Granted verbs no request of the lifecycle uses, and why each is still needed. Anything else granted but unused
     * fails the test: it would be a permission to remove.
     */
    private static final Map<String, String> GRANTED_BUT_NOT_REQUESTED = Map.ofEntries(
            Map.entry("kubedb.com proxysqls/finalizers update", "not a request: OwnerReferencesPermissionEnforcement checks it when a child "
                    + "with blockOwnerDeletion is written (proven by setsOwnerReferencesOnlyWithTheFinalizersRule)"),
            Map.entry("coordination.k8s.io leases update", "not a request: JOSDK's start-up check (SelfSubjectRulesReview) requires it; "
                    + "fabric8's Lease lock patches"),
            Map.entry("cert-manager.io certificates delete", "a ReconfigureTLS remove of cert-manager TLS deletes the ProxySQL's Certificates; "
                    + "this class's pods run no ProxySQL, so it runs no ReconfigureTLS (CertManagerIssuanceIT does, with a real cert-manager)"),
            Map.entry("cert-manager.io certificates/status patch", "a ReconfigureTLS rotateCertificates with an issuerRef asks cert-manager to "
                    + "renew by setting the Certificate's Issuing condition, as cmctl renew does; not run here (CertManagerIssuanceIT runs it)"),
            Map.entry("core pods patch", "a HorizontalScaling scale-down takes the leaving pod out of the client Service by removing one label (and "
                    + "puts it back on rollback); only with the ProxySQL-level check on, and this class runs no ProxySQL (HorizontalScalingOnProxySqlIT, make e2e)"),
            Map.entry("core pods get", "fabric8's merge patch of that label reads the pod first"));

    /** Label of this class's namespaces: the webhook configuration it installs applies to them only. */
    static final String NAMESPACE_LABEL = "proxysql-operator.test/rbac-it";
    private static OperatorProcess operator;
    private static int httpPort;
    private static int webhookPort;

    /** Stops the operator and removes its namespace and roles, so that InstallIT finds a cluster without them. */
    @AfterAll
    static void stopOperatorAndRemoveIdentity(KubernetesClient admin) {
        if (operator != null) {
            operator.close();
        }
        ServiceMonitorCrd.remove(admin);
        CertificateCrd.remove(admin);
        admin.admissionRegistration().v1().validatingWebhookConfigurations().withName(ACCOUNT).delete();
        admin.admissionRegistration().v1().mutatingWebhookConfigurations().withName(ACCOUNT).delete();
        for (var o : Manifests.parse(OPERATOR_DIR.resolve("rbac.yaml"))) {
            if (o.path("metadata").path("namespace").isMissingNode()) {
                String kind = o.path("kind").asText();
                String name = o.path("metadata").path("name").asText();
                if ("ClusterRole".equals(kind)) {
                    admin.rbac().clusterRoles().withName(name).delete();
                } else if ("ClusterRoleBinding".equals(kind)) {
                    admin.rbac().clusterRoleBindings().withName(name).delete();
                }
            }
        }
        admin.namespaces().withName(NAMESPACE).delete();
        Await.until(TIMEOUT, "namespace " + NAMESPACE + " deleted", () -> admin.namespaces().withName(NAMESPACE).get() == null);
    }

    @Test
    @Order(1)
    void theOperatorNeedsNothingBeyondItsRoles(KubernetesClient admin, TestNamespace ns, TestCluster cluster) {
        AuditLog audit = cluster.auditLog().orElseThrow(() -> new AssertionError("this test needs the local cluster's audit log"));
        Path kubeconfig = installIdentity(admin);

        // The packaged operator as the Deployment runs it (leader election, JSON logs, one HTTP port, the webhook with
        // a generated certificate), authenticated with the ServiceAccount's token. The webhook configuration is the
        // installed one, reached by URL instead of the Service (the local cluster has no pod network).
        // As in an installation, the configuration exists before the operator starts (it publishes its CA once, at start).
        ValidatingWebhookConfiguration vwc = installWebhookConfiguration(admin);
        // Before the start too, so that the ServiceMonitor rule is exercised (with discovery, which needs no rule).
        ServiceMonitorCrd.install(admin);
        CertificateCrd.install(admin);
        operator = startOperator(kubeconfig);
        Await.until(TIMEOUT, "the operator to patch its CA into ValidatingWebhookConfiguration " + ACCOUNT + " (log: " + operator.log() + ")",
                () -> admin.admissionRegistration().v1().validatingWebhookConfigurations().withName(ACCOUNT).get(),
                c -> c.getWebhooks().get(0).getClientConfig().getCaBundle() != null);
        Await.until(TIMEOUT, "the operator to patch its CA into MutatingWebhookConfiguration " + ACCOUNT + " (log: " + operator.log() + ")",
                () -> admin.admissionRegistration().v1().mutatingWebhookConfigurations().withName(ACCOUNT).get(),
                c -> c.getWebhooks().get(0).getClientConfig().getCaBundle() != null);
        Await.until(TIMEOUT, "the API server to call the operator's webhook", () -> {
            try {
                admin.resource(updateVersion(ns, "probe", "no-such-proxysql", "2.7.3-debian")).dryRun().create();
                return null;
            } catch (KubernetesClientException e) {
                return e.getStatus() == null ? null : e.getStatus().getMessage();
            }
        }, m -> m != null && m.contains("denied the request") && m.contains("no-such-proxysql"));
        assertThat(vwc.getWebhooks().get(0).getFailurePolicy()).isEqualTo("Ignore");

        OperatorFixture.createBackend(admin, ns.name());
        ProxySQL px = OperatorFixture.proxysql(ns.name(), "px", "2.6.3-debian", 3);
        px.getSpec().setDeletionPolicy(DeletionPolicy.WIPE_OUT);
        admin.resource(px).create();
        awaitPhase(admin, ns, "px", DatabasePhase.READY);

        ProxySQLOpsRequest upgrade = admin.resource(updateVersion(ns, "upgrade", "px", "2.7.3-debian")).create();
        assertThat(upgrade.getMetadata().getAnnotations()).as("stamped by the packaged operator's mutating webhook")
                .hasEntrySatisfying(QueueStamp.ANNOTATION, v -> assertThat(v).matches(QueueStamp.SHAPE));
        awaitOps(admin, ns, "upgrade", OpsRequestPhase.SUCCESSFUL);
        admin.resource(restart(ns, "restart", "px")).create();
        awaitOps(admin, ns, "restart", OpsRequestPhase.SUCCESSFUL);
        admin.resource(OpsFixture.verticalScaling(ns, "scale-up", "px", """
                {"requests": {"cpu": "1", "memory": "2Gi"}, "limits": {"memory": "2Gi"}}""", "2m")).create();
        awaitOps(admin, ns, "scale-up", OpsRequestPhase.SUCCESSFUL);

        setHalted(admin, ns, "px", true);
        awaitPhase(admin, ns, "px", DatabasePhase.HALTED);
        Await.until(TIMEOUT, "the StatefulSet of a halted ProxySQL deleted",
                () -> admin.apps().statefulSets().inNamespace(ns.name()).withName("px").get() == null);
        setHalted(admin, ns, "px", false);
        awaitPhase(admin, ns, "px", DatabasePhase.READY);

        followsAServiceMonitor(admin, ns);
        issuesCertificates(admin, ns);

        admin.resources(ProxySQL.class).inNamespace(ns.name()).withName("px").delete();
        Await.until(TIMEOUT, "StatefulSet and Secrets of a WipeOut ProxySQL garbage-collected",
                () -> admin.apps().statefulSets().inNamespace(ns.name()).withName("px").get() == null
                        && admin.secrets().inNamespace(ns.name()).withName("px-auth").get() == null
                        && admin.secrets().inNamespace(ns.name()).withName("px-configuration").get() == null);
        assertThat(operator.alive()).as("operator process (log: %s)", operator.log()).isTrue();

        List<AuditLog.Event> requests = audit.events(e -> USER.equals(e.effectiveUser()));
        assertThat(requests).as("requests of %s in the audit log", USER).hasSizeGreaterThan(100)
                .as("reads of %s in the audit log: its policy must log every request of the operator's ServiceAccount, reads "
                        + "included (hack/control-plane/audit-policy.yaml)", USER).anyMatch(e -> "list".equals(e.verb()));
        // The operator watches every namespace, and other test classes run in parallel on this cluster: their namespaces
        // being deleted refuse the operator's Events and patches at admission (403 with the authorizer's "allow"). That is
        // not an RBAC gap, so a 403 counts when RBAC forbade it anywhere, or whatever refused it in this test's namespace.
        assertThat(requests.stream()
                .filter(e -> e.code() == 403 && (!"allow".equals(e.authorization()) || ns.name().equals(e.namespace())))
                .map(AuditLog.Event::describe).toList())
                .as("requests of %s refused (operator log: %s)", USER, operator.log()).isEmpty();

        Set<String> used = new TreeSet<>();
        for (AuditLog.Event e : requests) {
            if (e.code() >= 200 && e.code() < 300 || e.code() == 101) {
                String resource = (e.apiGroup() == null ? "core" : e.apiGroup()) + " " + e.resource()
                        + (e.subresource() == null ? "" : "/" + e.subresource());
                used.add(resource + " " + e.verb());
                if ("patch".equals(e.verb()) && e.code() == 201) {
                    used.add(resource + " create"); // a server-side apply that created the object, authorized as create too
                }
            }
        }
        Set<String> granted = new TreeSet<>();
        for (RbacRules r : RbacRules.ofKustomizeBase()) {
            for (String verb : r.verbs().split(" ")) {
                granted.add(r.group() + " " + r.resource() + " " + verb);
            }
        }
        Set<String> unused = new TreeSet<>(granted);
        unused.removeAll(used);
        unused.removeAll(GRANTED_BUT_NOT_REQUESTED.keySet());
        assertThat(unused).as("granted verbs the operator never used (remove them, or explain them in GRANTED_BUT_NOT_REQUESTED); "
                + "used: %s", used).isEmpty();
    }

    @Test
    @Order(2)
    void setsOwnerReferencesOnlyWithTheFinalizersRule(KubernetesClient admin, TestNamespace ns, TestCluster cluster) {
        AuditLog audit = cluster.auditLog().orElseThrow(() -> new AssertionError("this test needs the local cluster's audit log"));
        Path kubeconfig = installIdentity(admin);
        if (operator == null || !operator.alive()) {
            operator = startOperator(kubeconfig);
        }
        ClusterRole role = admin.rbac().clusterRoles().withName(ACCOUNT).get();
        role.getRules().removeIf(r -> r.getResources().contains("proxysqls/finalizers"));
        role.getMetadata().setManagedFields(null);
        admin.resource(role).update();
        try {
            OperatorFixture.createBackend(admin, ns.name());
            admin.resource(OperatorFixture.proxysql(ns.name(), "owned", "2.6.3-debian", 1)).create();
            List<AuditLog.Event> refused = Await.until(TIMEOUT, "the API server to refuse the operator's first child of ProxySQL owned",
                    () -> audit.events(e -> USER.equals(e.effectiveUser()) && ns.name().equals(e.namespace()) && e.code() == 403),
                    l -> !l.isEmpty());
            assertThat(refused.get(0).message()).contains("cannot set blockOwnerDeletion");
        } finally {
            Manifests.apply(admin, OPERATOR_DIR.resolve("rbac.yaml"));
        }
        awaitPhase(admin, ns, "owned", DatabasePhase.READY);
    }

    @Test
    @Order(3)
    void refusesWhatTheOperatorMustNotDo(KubernetesClient admin, TestNamespace ns) {
        installIdentity(admin);
        String n = ns.name();
        List<String[]> forbidden = List.of(
                // verb, group, resource, subresource, namespace, name
                a("update", "", "secrets", "", n, "x"), a("delete", "", "secrets", "", n, "x"), a("deletecollection", "", "secrets", "", n, ""),
                // patch on pods is granted: a HorizontalScaling moves a leaving pod out of the client Service by its label
                // (see GRANTED_BUT_NOT_REQUESTED); creating and deleting pods stays the StatefulSet controller's.
                a("create", "", "pods", "", n, ""), a("delete", "", "pods", "", n, "x"),
                a("create", "", "pods", "exec", n, "x"), a("get", "", "pods", "log", n, "x"),
                a("get", "", "configmaps", "", n, "x"), a("list", "", "nodes", "", "", ""),
                a("create", "", "serviceaccounts", "token", NAMESPACE, ACCOUNT), a("impersonate", "", "users", "", "", "admin"),
                a("get", "apiextensions.k8s.io", "customresourcedefinitions", "", "", "proxysqls.kubedb.com"),
                a("patch", "apps", "deployments", "", NAMESPACE, ACCOUNT),
                a("create", "catalog.kubedb.com", "proxysqlversions", "", "", ""),
                a("patch", "catalog.kubedb.com", "proxysqlversions", "", "", "2.6.3-debian"),
                a("create", "kubedb.com", "proxysqls", "", n, ""), a("delete", "kubedb.com", "proxysqls", "", n, "x"),
                a("update", "kubedb.com", "proxysqls", "", n, "x"),
                a("create", "ops.kubedb.com", "proxysqlopsrequests", "", n, ""),
                a("delete", "ops.kubedb.com", "proxysqlopsrequests", "", n, "x"),
                a("create", "appcatalog.appscode.com", "appbindings", "", n, ""),
                a("create", "rbac.authorization.k8s.io", "rolebindings", "", n, ""),
                a("create", "rbac.authorization.k8s.io", "clusterrolebindings", "", "", ""),
                a("bind", "rbac.authorization.k8s.io", "clusterroles", "", "", "cluster-admin"),
                a("escalate", "rbac.authorization.k8s.io", "clusterroles", "", "", ACCOUNT),
                a("patch", "admissionregistration.k8s.io", "validatingwebhookconfigurations", "", "", "someone-else"),
                a("delete", "admissionregistration.k8s.io", "validatingwebhookconfigurations", "", "", ACCOUNT),
                a("patch", "admissionregistration.k8s.io", "mutatingwebhookconfigurations", "", "", "someone-else"),
                a("delete", "admissionregistration.k8s.io", "mutatingwebhookconfigurations", "", "", ACCOUNT),
                a("patch", "admissionregistration.k8s.io", "validatingadmissionpolicies", "", "", "proxysql-queued-at"),
                a("patch", "admissionregistration.k8s.io", "validatingadmissionpolicies", "", "", "proxysql-do-not-terminate"),
                a("update", "coordination.k8s.io", "leases", "", NAMESPACE, "someone-else"),
                a("create", "coordination.k8s.io", "leases", "", n, ""),
                a("delete", "coordination.k8s.io", "leases", "", NAMESPACE, ACCOUNT));
        Map<String, Boolean> answers = new TreeMap<>();
        for (String[] f : forbidden) {
            answers.put(String.join(" ", f).replaceAll("\\s+", " ").strip(), allowed(admin, f));
        }
        assertThat(answers).as("what %s may do, according to the API server", USER).allSatisfy((what, allowed) ->
                assertThat(allowed).as("%s may %s", USER, what).isFalse());
        // And the other direction: every granted verb is granted in a watched namespace.
        for (RbacRules r : RbacRules.ofKustomizeBase()) {
            String[] resource = r.resource().split("/", 2);
            String namespace = r.role().startsWith("Role ") ? NAMESPACE : r.role().endsWith("-cluster") ? "" : n;
            String name = "-".equals(r.names()) ? "" : r.names();
            for (String verb : r.verbs().split(" ")) {
                assertThat(allowed(admin, a(verb, "core".equals(r.group()) ? "" : r.group(), resource[0],
                        resource.length > 1 ? resource[1] : "", namespace, name))).as("%s may %s (%s)", USER, verb, r).isTrue();
            }
        }
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    /** A monitored ProxySQL's ServiceMonitor created, then deleted when the agent changes: get, create, patch, delete. */
    /** spec.tls both ways: the operator's own CA (Secrets), and cert-manager Certificates for an issuerRef. */
    private static void issuesCertificates(KubernetesClient admin, TestNamespace ns) {
        ProxySQL own = OperatorFixture.proxysql(ns.name(), "own-ca", "2.6.3-debian", 1);
        own.getSpec().setTls(new TLSConfig());
        admin.resource(own).create();
        Await.until(TIMEOUT, "Secret own-ca-server-cert issued by the operator's CA (operator log: " + operator.log() + ")",
                () -> admin.secrets().inNamespace(ns.name()).withName("own-ca-server-cert").get() != null);
        ProxySQL cm = OperatorFixture.proxysql(ns.name(), "cm", "2.6.3-debian", 1);
        TypedLocalObjectReference issuer = new TypedLocalObjectReference();
        issuer.setKind("Issuer");
        issuer.setName("ca-issuer");
        TLSConfig tls = new TLSConfig();
        tls.setIssuerRef(issuer);
        cm.getSpec().setTls(tls);
        admin.resource(cm).create();
        Await.until(TIMEOUT, "Certificate cm-server-cert created (operator log: " + operator.log() + ")",
                () -> admin.genericKubernetesResources(CertificateFactory.CONTEXT).inNamespace(ns.name()).withName("cm-server-cert").get() != null);
    }

    private static void followsAServiceMonitor(KubernetesClient admin, TestNamespace ns) {
        ProxySQL mon = OperatorFixture.proxysql(ns.name(), "mon", "2.6.3-debian", 1);
        AgentSpec monitor = new AgentSpec();
        monitor.setAgent(AgentSpec.Agent.PROMETHEUS_OPERATOR);
        mon.getSpec().setMonitor(monitor);
        admin.resource(mon).create();
        var serviceMonitor = admin.genericKubernetesResources(ServiceMonitorFactory.CONTEXT).inNamespace(ns.name()).withName("mon-stats");
        Await.until(TIMEOUT, "ServiceMonitor mon-stats created (operator log: " + operator.log() + ")", () -> serviceMonitor.get() != null);
        // A merge patch, not edit(): the operator is still writing mon (finalizer, status), so an edit could conflict.
        admin.resources(ProxySQL.class).inNamespace(ns.name()).withName("mon")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"monitor\":{\"agent\":\"prometheus.io\"}}}");
        Await.until(TIMEOUT, "ServiceMonitor mon-stats deleted once the agent is prometheus.io", () -> serviceMonitor.get() == null);
    }

    /** The Deployment's flags, with free local ports, and the webhook's certificate also valid for 127.0.0.1. */
    private static OperatorProcess startOperator(Path kubeconfig) {
        allocatePorts();
        return OperatorProcess.start(kubeconfig, "rbac-least-privilege", null, List.of("--controllers=provisioner,ops-manager",
                "--no-proxysql-checks", "--leader-election", "--log-format=json", "--metrics-port=" + httpPort,
                "--health-port=" + httpPort, "--webhook-port=" + webhookPort, "--webhook-host=127.0.0.1"));
    }

    private static void allocatePorts() {
        if (webhookPort == 0) {
            httpPort = OperatorProcess.freePort();
            webhookPort = OperatorProcess.freePort();
        }
    }

    /**
     * deploy/install's ValidatingWebhookConfiguration, calling this machine's operator process by URL, and only for
     * this class's namespaces (other test classes must not depend on this operator).
     */
    private static ValidatingWebhookConfiguration installWebhookConfiguration(KubernetesClient admin) {
        allocatePorts();
        ValidatingWebhookConfiguration vwc = InstalledWebhooks.validating(admin);
        InstalledWebhooks.callLocally(vwc.getWebhooks().get(0), webhookPort, "/validate/proxysqlopsrequests", NAMESPACE_LABEL);
        admin.resource(vwc).fieldManager("test-install").forceConflicts().serverSideApply();
        MutatingWebhookConfiguration mwc = InstalledWebhooks.mutating(admin);
        InstalledWebhooks.callLocally(mwc.getWebhooks().get(0), webhookPort, "/mutate/proxysqlopsrequests", NAMESPACE_LABEL);
        admin.resource(mwc).fieldManager("test-install").forceConflicts().serverSideApply();
        return vwc;
    }

    /** Applies the operator's namespace, ServiceAccount and RBAC from deploy/install, and returns a token kubeconfig. */
    static Path installIdentity(KubernetesClient admin) {
        Manifests.apply(admin, OPERATOR_DIR.resolve("namespace.yaml"));
        Manifests.apply(admin, OPERATOR_DIR.resolve("rbac.yaml"));
        OperatorFixture.installCatalogAndPolicies(admin);
        Await.until(TIMEOUT, "ServiceAccount " + NAMESPACE + "/" + ACCOUNT,
                () -> admin.serviceAccounts().inNamespace(NAMESPACE).withName(ACCOUNT).get() != null);
        return ServiceAccountKubeconfig.write(admin, NAMESPACE, ACCOUNT, Duration.ofHours(1),
                Path.of("target/rbac-it").resolve(ACCOUNT + ".kubeconfig"));
    }

    private static String[] a(String... attributes) {
        return attributes;
    }

    private static boolean allowed(KubernetesClient admin, String[] f) {
        SubjectAccessReview review = new SubjectAccessReviewBuilder().withNewSpec()
                .withUser(USER).withGroups("system:serviceaccounts", "system:serviceaccounts:" + NAMESPACE, "system:authenticated")
                .withResourceAttributes(new ResourceAttributesBuilder().withVerb(f[0]).withGroup(f[1]).withResource(f[2])
                        .withSubresource(f[3]).withNamespace(f[4]).withName(f[5]).build())
                .endSpec().build();
        return admin.authorization().v1().subjectAccessReview().create(review).getStatus().getAllowed();
    }

    private static void setHalted(KubernetesClient admin, TestNamespace ns, String name, boolean halted) {
        // A merge patch, not edit(): the operator may still be writing px after the last request (status, resume), and
        // an edit's update then fails with a conflict (it did, with the machine's load at 20).
        admin.resources(ProxySQL.class).inNamespace(ns.name()).withName(name)
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"halted\":" + halted + "}}");
    }

    private static ProxySQL awaitPhase(KubernetesClient client, TestNamespace ns, String name, DatabasePhase phase) {
        return Await.until(TIMEOUT, "ProxySQL " + ns.name() + "/" + name + " in phase " + phase + " (operator log: " + operator.log() + ")",
                () -> client.resources(ProxySQL.class).inNamespace(ns.name()).withName(name).get(),
                p -> p != null && p.getStatus() != null && p.getStatus().getPhase() == phase);
    }

    private static void awaitOps(KubernetesClient client, TestNamespace ns, String name, OpsRequestPhase phase) {
        Await.until(TIMEOUT, "ProxySQLOpsRequest " + name + " " + phase + " with its finalizer released",
                () -> client.resources(ProxySQLOpsRequest.class).inNamespace(ns.name()).withName(name).get(),
                r -> r != null && r.getStatus() != null && r.getStatus().getPhase() == phase
                        && (r.getMetadata().getFinalizers() == null || r.getMetadata().getFinalizers().isEmpty()));
    }

    private static ProxySQLOpsRequest updateVersion(TestNamespace ns, String name, String proxysql, String target) {
        return request(ns, name, proxysql).updateVersion(target).build();
    }

    private static ProxySQLOpsRequest restart(TestNamespace ns, String name, String proxysql) {
        return request(ns, name, proxysql).restart().build();
    }

    private static OpsRequests request(TestNamespace ns, String name, String proxysql) {
        return OpsRequests.on(ns.name(), proxysql).named(name).timeout("2m");
    }
}
