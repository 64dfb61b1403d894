package dev.proxysql.operator.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.kubedb.v1.SecretReference;
import dev.proxysql.operator.api.ops.v1alpha1.ApplyOption;
import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestPhase;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.kube.Conditions;
import dev.proxysql.operator.opsmanager.OpsFixture;
import dev.proxysql.operator.runtime.OperatorSettings;
import dev.proxysql.operator.runtime.ProxySQLOperator;
import dev.proxysql.operator.testing.InstalledWebhooks;
import dev.proxysql.operator.testing.OpsRequests;
import dev.proxysql.operator.testing.OperatorFixture;
import dev.proxysql.operator.testing.cluster.Await;
import dev.proxysql.operator.testing.cluster.LocalCluster;
import dev.proxysql.operator.testing.cluster.NamespaceLabels;
import dev.proxysql.operator.testing.cluster.TestCluster;
import dev.proxysql.operator.testing.cluster.TestNamespace;
import dev.proxysql.operator.topology.PauseProtocol;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.RuleWithOperations;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import dev.proxysql.operator.tls.CertificateAuthority;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The webhook as the API server calls it: served from this JVM on 127.0.0.1 (an ephemeral port) with a generated
 * certificate, registered by URL with the caBundle the operator publishes itself, limited to this class's
 * namespaces (so other test classes in the same run are not affected). The last test stops the webhook and shows
 * that the controller then fails the same request with the same message.
 */
@LocalCluster
@NamespaceLabels(AdmissionWebhookIT.NAMESPACE_LABEL + "=true")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdmissionWebhookIT {
    static final String NAMESPACE_LABEL = "proxysql-operator.test/admission-webhook";
    private static final String CONFIGURATION = "proxysql-operator-admission-it";
    /** The Service and ValidatingWebhookConfiguration that `kubectl apply -k deploy/install` and the Helm chart install. */
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String DENIED = "admission webhook \"validate.proxysqlopsrequests.ops.kubedb.com\" denied the request: ";

    private static KubernetesClient operatorClient;
    private static KubernetesClient admin;
    private static ProxySQLOperator operator;
    private static WebhookServer webhook;
    private static Path clientIdentity;

    @BeforeEach
    void startOnce(KubernetesClient client, TestNamespace ns, TestCluster cluster) {
        if (operator != null) {
            return;
        }
        admin = client;
        OperatorFixture.installCatalogAndPolicies(client);
        operatorClient = OperatorFixture.operatorClient(cluster);
        clientIdentity = cluster.webhookClientDir().orElseThrow(() -> new IllegalStateException("the cluster's webhook client identity"
                + " is unknown: set " + TestCluster.ENV_WEBHOOK_CLIENT_DIR + " (see hack/control-plane/cluster.sh webhook-client)"));
        // As installed for a real cluster: only callers presenting the API server's client certificate are answered.
        WebhookSettings settings = new WebhookSettings(true, "127.0.0.1", 0, null, WebhookSettings.DEFAULT_SERVICE,
                WebhookSettings.DEFAULT_NAMESPACE, List.of("127.0.0.1"), CONFIGURATION)
                .withClientAuth(clientIdentity.resolve("ca.crt"), List.of(WebhookClientAuth.DEFAULT_NAME));
        operator = new ProxySQLOperator(operatorClient, new OperatorSettings(false, true, Set.of(), false, settings), new SimpleMeterRegistry());
        operator.start();
        webhook = operator.webhook().orElseThrow();
        assertThat(webhook.publishCaBundle().get(CaBundlePublisher.Target.VALIDATING).outcome()).as("no configuration installed yet")
                .isEqualTo(CaBundlePublisher.Outcome.NOT_FOUND);

        ValidatingWebhookConfiguration vwc = localCopyOfTheInstalledConfiguration(client, webhook.port());
        client.resource(vwc).fieldManager("test-install").forceConflicts().serverSideApply();
        CaBundlePublisher.Result published = webhook.publishCaBundle().get(CaBundlePublisher.Target.VALIDATING);
        assertThat(published.outcome()).as(published.detail()).isEqualTo(CaBundlePublisher.Outcome.PATCHED);
        String caBundle = Base64.getEncoder().encodeToString(webhook.caBundlePem().orElseThrow().getBytes(StandardCharsets.US_ASCII));
        assertThat(client.admissionRegistration().v1().validatingWebhookConfigurations().withName(CONFIGURATION).get().getWebhooks())
                .singleElement().satisfies(w -> assertThat(w.getClientConfig().getCaBundle()).isEqualTo(caBundle));

        // The API server picks the configuration up asynchronously: wait until it calls the webhook.
        ProxySQLOpsRequest probe = restart(ns, "probe", "no-such-proxysql");
        Await.until(TIMEOUT, "the API server to call the webhook", () -> denial(() -> client.resource(probe).dryRun().create()),
                e -> e != null && e.getStatus().getMessage().startsWith(DENIED));
    }

    /** The installation's configuration (deploy/install), checked against the contract, then pointed at this JVM. */
    private static ValidatingWebhookConfiguration localCopyOfTheInstalledConfiguration(KubernetesClient client, int port) {
        ValidatingWebhookConfiguration vwc = InstalledWebhooks.validating(client);
        assertThat(vwc.getMetadata().getName()).isEqualTo(WebhookSettings.DEFAULT_CONFIGURATION);
        ValidatingWebhook w = vwc.getWebhooks().get(0);
        assertThat(vwc.getWebhooks()).hasSize(1);
        assertThat(w.getClientConfig().getService().getName()).isEqualTo(WebhookSettings.DEFAULT_SERVICE);
        assertThat(w.getClientConfig().getService().getNamespace()).isEqualTo(WebhookSettings.DEFAULT_NAMESPACE);
        assertThat(w.getClientConfig().getService().getPort()).isEqualTo(443);
        assertThat(w.getClientConfig().getService().getPath()).isEqualTo(WebhookServer.PATH);
        assertThat(w.getClientConfig().getCaBundle()).as("published by the operator").isNull();
        assertThat(w.getFailurePolicy()).isEqualTo("Ignore");
        assertThat(w.getSideEffects()).isEqualTo("None");
        assertThat(w.getAdmissionReviewVersions()).containsExactly("v1");
        assertThat(w.getTimeoutSeconds()).isEqualTo(5);
        RuleWithOperations rule = w.getRules().get(0);
        assertThat(rule.getApiGroups()).containsExactly("ops.kubedb.com");
        assertThat(rule.getApiVersions()).containsExactly("v1alpha1");
        assertThat(rule.getOperations()).containsExactly("CREATE");
        assertThat(rule.getResources()).containsExactly("proxysqlopsrequests");

        vwc.getMetadata().setName(CONFIGURATION);
        InstalledWebhooks.callLocally(w, port, WebhookServer.PATH, NAMESPACE_LABEL);
        return vwc;
    }

    @AfterAll
    static void stop() {
        if (admin != null) {
            admin.admissionRegistration().v1().validatingWebhookConfigurations().withName(CONFIGURATION).delete();
        }
        if (operator != null) {
            operator.close();
            operatorClient.close();
        }
    }

    @Test
    @Order(1)
    void aDisallowedUpdateIsRejectedAtCreationNamingTheFieldAndTheAllowlist(KubernetesClient client, TestNamespace ns) {
        client.resource(OperatorFixture.proxysql(ns.name(), "px", "2.6.3-debian", 1)).create();

        KubernetesClientException tooFar = denial(() -> client.resource(updateVersion(ns, "too-far", "px", "3.0.1-debian")).create());
        assertThat(tooFar).as("denied").isNotNull();
        assertThat(tooFar.getCode()).isEqualTo(403);
        assertThat(tooFar.getStatus().getReason()).isEqualTo("Forbidden");
        assertThat(tooFar.getStatus().getMessage()).startsWith(DENIED + "spec.updateVersion.targetVersion: ")
                .contains("upgrade from 2.6.3-debian to 3.0.1-debian is not allowed")
                .contains("allowlist").contains(">= 2.6.3-debian, <= 2.7.3-debian")
                .containsPattern("allowed targets: .*2\\.7\\.3-debian");
        assertThat(client.resources(ProxySQLOpsRequest.class).withName("too-far").get()).as("never stored").isNull();

        KubernetesClientException deprecated = denial(() -> client.resource(updateVersion(ns, "old", "px", "2.3.2")).create());
        assertThat(deprecated.getCode()).isEqualTo(403);
        assertThat(deprecated.getStatus().getMessage()).contains("spec.updateVersion.targetVersion: ProxySQLVersion \"2.3.2\" is deprecated");

        KubernetesClientException missing = denial(() -> client.resource(updateVersion(ns, "nowhere", "px", "9.9.9-debian")).create());
        assertThat(missing.getCode()).isEqualTo(422);
        assertThat(missing.getStatus().getReason()).isEqualTo("Invalid");
        assertThat(missing.getStatus().getMessage())
                .isEqualTo(DENIED + "spec.updateVersion.targetVersion: ProxySQLVersion \"9.9.9-debian\" does not exist");
    }

    @Test
    @Order(2)
    void aMissingProxySQLIsRejectedNamingProxyRef(KubernetesClient client, TestNamespace ns) {
        KubernetesClientException e = denial(() -> client.resource(updateVersion(ns, "orphan", "no-such-proxysql", "2.7.3-debian")).create());
        assertThat(e).as("denied").isNotNull();
        assertThat(e.getCode()).isEqualTo(422);
        assertThat(e.getStatus().getMessage())
                .isEqualTo(DENIED + "spec.proxyRef.name: ProxySQL \"no-such-proxysql\" does not exist in namespace " + ns.name());
        KubernetesClientException restart = denial(() -> client.resource(restart(ns, "restart", "no-such-proxysql")).create());
        assertThat(restart.getStatus().getMessage()).as("every type").contains("spec.proxyRef.name");
    }

    @Test
    @Order(3)
    void badVerticalScalingResourcesAreRejectedAtCreationNamingTheField(KubernetesClient client, TestNamespace ns) {
        client.resource(OperatorFixture.proxysql(ns.name(), "px", "2.6.3-debian", 1)).create();
        KubernetesClientException upsideDown = denial(() -> client.resource(OpsFixture.verticalScaling(ns, "upside-down", "px",
                "{\"requests\": {\"memory\": \"4Gi\"}, \"limits\": {\"memory\": \"1Gi\"}}", "1m")).create());
        assertThat(upsideDown).as("denied").isNotNull();
        assertThat(upsideDown.getCode()).isEqualTo(422);
        assertThat(upsideDown.getStatus().getMessage()).isEqualTo(DENIED + "spec.verticalScaling.proxysql.resources.requests.memory: "
                + "4Gi is more than spec.verticalScaling.proxysql.resources.limits.memory (1Gi): the API server would refuse such pods");
        KubernetesClientException notAQuantity = denial(() -> client.resource(OpsFixture.verticalScaling(ns, "typo", "px",
                "{\"requests\": {\"cpu\": \"two\"}}", "1m")).create());
        assertThat(notAQuantity.getStatus().getMessage()).contains("spec.verticalScaling.proxysql.resources.requests.cpu: \"two\" is not a quantity");
        client.resource(OperatorFixture.proxysql(ns.name(), "px3", "2.6.3-debian", 3)).create();
        KubernetesClientException sameCount = denial(() -> client.resource(OpsFixture.horizontalScaling(ns, "same-count", "px3", 3, "1m")).create());
        assertThat(sameCount.getCode()).isEqualTo(422);
        assertThat(sameCount.getStatus().getMessage()).isEqualTo(DENIED
                + "spec.horizontalScaling.member: ProxySQL px3 already has 3 replicas; name another member count");
        assertThat(client.resources(ProxySQLOpsRequest.class).list().getItems()).as("never stored").isEmpty();
    }

    @Test
    @Order(3)
    void reconfiguringAVariableTheOperatorSetsIsRejectedAtCreationNamingTheField(KubernetesClient client, TestNamespace ns) {
        client.resource(OperatorFixture.proxysql(ns.name(), "px", "2.6.3-debian", 1)).create();
        for (String block : new String[] {"mysqlVariables: {interfaces: \"0.0.0.0:3306\"}", "mysqlVariables: {mysql-interfaces: \"0.0.0.0:3306\"}"}) {
            KubernetesClientException denied = denial(() -> client.resource(OpsFixture.reconfigure(ns, "listen", "px", block, "1m")).create());
            assertThat(denied).as("denied: %s", block).isNotNull();
            assertThat(denied.getCode()).isEqualTo(422);
            assertThat(denied.getStatus().getMessage()).startsWith(DENIED + "spec.configuration.mysqlVariables.")
                    .endsWith("interfaces: mysql-interfaces is set by the operator and cannot be reconfigured");
        }
        KubernetesClientException admin = denial(() -> client.resource(OpsFixture.reconfigure(ns, "creds", "px",
                "adminVariables: {admin_credentials: \"x:y\", refresh_interval: 2055}", "1m")).create());
        assertThat(admin.getStatus().getMessage()).isEqualTo(DENIED
                + "spec.configuration.adminVariables.admin_credentials: admin-admin_credentials is set by the operator and cannot be reconfigured");
        // Larger than its own status could hold for a rollback (the CRD's rules cannot see free-form values).
        KubernetesClientException tooLong = denial(() -> client.resource(OpsFixture.reconfigure(ns, "too-long", "px",
                "mysqlVariables: {init_connect: \"" + "x".repeat(2000) + "\"}", "1m")).create());
        assertThat(tooLong.getCode()).isEqualTo(422);
        assertThat(tooLong.getStatus().getMessage()).isEqualTo(DENIED + "spec.configuration.mysqlVariables.init_connect: a value of 2000"
                + " characters; at most 1024 (the previous value is kept in status for a rollback)");
        client.resource(OpsFixture.reconfigure(ns, "fine", "px", "adminVariables: {refresh_interval: 2055}", "1m")).create();
        assertThat(client.resources(ProxySQLOpsRequest.class).list().getItems()).extracting(r -> r.getMetadata().getName())
                .as("only the allowed one stored").containsExactly("fine");
    }

    /**
     * Every RotateAuth refusal comes back from {@code create} through the API server, naming the field, and nothing is
     * stored or changed: no request, the Secrets and the ProxySQLs at the resourceVersion they had. What is refused:
     * the Secret that {@code spec.authentication.secretRef} names missing, without the {@code username}/{@code password}
     * keys, a username other than KubeDB's {@code cluster}, a password that is not 8 to 64 letters and digits or is the
     * current one, a reference that is not to a core Secret or has no name; and, with an externally managed auth
     * Secret, a request without secretRef (the operator may not generate a password into it). The same ProxySQLs
     * admit a generated password and, externally managed, a good secretRef (dry-run: admitted, not run).
     */
    @Test
    @Order(4)
    void badRotateAuthRequestsAreRejectedAtCreationNamingTheFieldAndNothingChanges(KubernetesClient client, TestNamespace ns) {
        client.resource(OperatorFixture.proxysql(ns.name(), "px", "2.6.3-debian", 1)).create();
        ProxySQL external = OperatorFixture.proxysql(ns.name(), "pxext", "2.6.3-debian", 1);
        SecretReference vault = new SecretReference();
        vault.setName("vault-auth");
        vault.setExternallyManaged(true);
        external.getSpec().setAuthSecret(vault);
        client.resource(external).create();
        secret(client, ns, "px-auth", Map.of("username", "cluster", "password", "CurrentPass1"));
        secret(client, ns, "vault-auth", Map.of("username", "cluster", "password", "VaultPass12"));
        secret(client, ns, "no-keys", Map.of("user", "cluster", "pass", "NewPass1234"));
        secret(client, ns, "root-user", Map.of("username", "root", "password", "NewPass1234"));
        secret(client, ns, "punctuated", Map.of("username", "cluster", "password", "new;pass:word1"));
        secret(client, ns, "short", Map.of("username", "cluster", "password", "short12"));
        secret(client, ns, "same", Map.of("username", "cluster", "password", "CurrentPass1"));
        secret(client, ns, "good", Map.of("username", "cluster", "password", "NewPass1234"));
        Map<String, String> before = versions(client, ns);

        String ref = "spec.authentication.secretRef.name: Secret ";
        Map<ProxySQLOpsRequest, String> refused = new LinkedHashMap<>();
        refused.put(OpsFixture.rotateAuth(ns, "missing", "px", "nowhere", "1m"),
                ref + "\"nowhere\" does not exist in namespace " + ns.name());
        refused.put(OpsFixture.rotateAuth(ns, "no-keys", "px", "no-keys", "1m"), ref + "\"no-keys\" must have the keys username and password");
        // The rule, not what the Secret holds: the found username is not quoted.
        refused.put(OpsFixture.rotateAuth(ns, "root-user", "px", "root-user", "1m"),
                ref + "\"root-user\": username must be \"cluster\" (KubeDB's ProxySQL cluster user)");
        refused.put(OpsFixture.rotateAuth(ns, "punctuated", "px", "punctuated", "1m"),
                ref + "\"punctuated\": password must be 8 to 64 letters and digits (no other characters)");
        refused.put(OpsFixture.rotateAuth(ns, "short", "px", "short", "1m"),
                ref + "\"short\": password must be 8 to 64 letters and digits (no other characters)");
        refused.put(OpsFixture.rotateAuth(ns, "same", "px", "same", "1m"),
                ref + "\"same\": password is the one the ProxySQL already uses; nothing to rotate");
        ProxySQLOpsRequest configMap = OpsFixture.rotateAuth(ns, "config-map", "px", "good", "1m");
        configMap.getSpec().getAuthentication().getSecretRef().setKind("ConfigMap");
        refused.put(configMap, "spec.authentication.secretRef.kind: must be Secret, not ConfigMap");
        ProxySQLOpsRequest virtual = OpsFixture.rotateAuth(ns, "virtual", "px", "good", "1m");
        virtual.getSpec().getAuthentication().getSecretRef().setApiGroup("virtual-secrets.dev");
        refused.put(virtual, "spec.authentication.secretRef.apiGroup: must be empty (the core group), not virtual-secrets.dev");
        ProxySQLOpsRequest unnamed = OpsFixture.rotateAuth(ns, "unnamed", "px", "good", "1m");
        unnamed.getSpec().getAuthentication().getSecretRef().setName("");
        refused.put(unnamed, "spec.authentication.secretRef.name: required when secretRef is given");
        refused.put(OpsFixture.rotateAuth(ns, "generated", "pxext", null, "1m"), "spec.authentication.secretRef: required: the auth Secret "
                + "\"vault-auth\" is externally managed (spec.authSecret.externallyManaged), so the operator may not generate a password into it");

        refused.forEach((request, message) -> {
            KubernetesClientException e = denial(() -> client.resource(request).create());
            assertThat(e).as("%s denied", request.getMetadata().getName()).isNotNull();
            assertThat(e.getCode()).as(request.getMetadata().getName()).isEqualTo(422);
            assertThat(e.getStatus().getReason()).isEqualTo("Invalid");
            assertThat(e.getStatus().getMessage()).as(request.getMetadata().getName()).isEqualTo(DENIED + message);
        });
        assertThat(client.resources(ProxySQLOpsRequest.class).list().getItems()).as("no request stored").isEmpty();
        assertThat(versions(client, ns)).as("no Secret and no ProxySQL changed").isEqualTo(before);

        // The same ProxySQLs admit what is allowed: a generated password, and a good Secret for the externally managed one.
        assertThat(denial(() -> client.resource(OpsFixture.rotateAuth(ns, "generate", "px", null, "1m")).dryRun().create())).isNull();
        assertThat(denial(() -> client.resource(OpsFixture.rotateAuth(ns, "to-good", "pxext", "good", "1m")).dryRun().create())).isNull();
    }

    /**
     * Anyone who reaches the webhook's port can post a review; only the API server's client certificate gets an answer.
     * A forged RotateAuth review naming a Secret that holds {@code root} (which, answered, would say whether the Secret
     * exists and quote its username) gets no TLS connection without a certificate or with another CA's, and 403 with the
     * right CA's certificate under another name, while the API server's own call with the same request is answered.
     */
    @Test
    @Order(4)
    void aForgedReviewWithoutTheApiServersClientCertificateIsNotAnswered(KubernetesClient client, TestNamespace ns) throws Exception {
        client.resource(OperatorFixture.proxysql(ns.name(), "px", "2.6.3-debian", 1)).create();
        secret(client, ns, "root-user", Map.of("username", "root", "password", "NewPass1234"));
        String forged = WebhookCallers.rotateAuthReview(ns.name(), "px", "root-user");
        X509Certificate serverCa = CertificateAuthority.readCertificates(new StringReader(webhook.caBundlePem().orElseThrow())).get(0);

        Throwable noCertificate = catchThrowable(() -> WebhookCallers.post(WebhookCallers.caller(serverCa, null, null), webhook.port(),
                WebhookServer.PATH, forged));
        assertThat(noCertificate).as("no client certificate: no TLS connection, no answer").isInstanceOf(IOException.class);

        CertificateAuthority.Issued elsewhere = CertificateAuthority.create("another-ca", Duration.ofDays(1))
                .issue(List.of(WebhookClientAuth.DEFAULT_NAME), Duration.ofDays(1), KeyPurposeId.id_kp_clientAuth);
        assertThat(catchThrowable(() -> WebhookCallers.post(WebhookCallers.caller(serverCa, elsewhere), webhook.port(), WebhookServer.PATH,
                forged))).as("the right name from another CA").isInstanceOf(IOException.class);

        CertificateAuthority clientCa = CertificateAuthority.fromPem(Files.readString(clientIdentity.resolve("ca.crt")),
                Files.readString(clientIdentity.resolve("ca.key")));
        CertificateAuthority.Issued otherName = clientCa.issue(List.of("kwok-node-0.kubelet-client"), Duration.ofDays(1),
                KeyPurposeId.id_kp_clientAuth);
        HttpResponse<String> forbidden = WebhookCallers.post(WebhookCallers.caller(serverCa, otherName), webhook.port(), WebhookServer.PATH,
                forged);
        assertThat(forbidden.statusCode()).as(forbidden.body()).isEqualTo(403);
        assertThat(forbidden.body()).doesNotContain("root").doesNotContain("cluster").doesNotContain("exist");

        KubernetesClientException e = denial(() -> client.resource(OpsFixture.rotateAuth(ns, "via-api-server", "px", "root-user", "1m"))
                .dryRun().create());
        assertThat(e).as("the API server's call is answered").isNotNull();
        assertThat(e.getStatus().getMessage()).isEqualTo(DENIED + "spec.authentication.secretRef.name: Secret \"root-user\": username"
                + " must be \"cluster\" (KubeDB's ProxySQL cluster user)").doesNotContain("root\"");
    }

    private static void secret(KubernetesClient client, TestNamespace ns, String name, Map<String, String> data) {
        client.resource(new SecretBuilder().withNewMetadata().withName(name).withNamespace(ns.name()).endMetadata()
                .withStringData(data).build()).create();
    }

    /** The resourceVersion of every Secret and ProxySQL of the namespace, by kind/name. */
    private static Map<String, String> versions(KubernetesClient client, TestNamespace ns) {
        Map<String, String> out = new TreeMap<>();
        client.secrets().inNamespace(ns.name()).list().getItems().forEach(s -> out.put("Secret/" + s.getMetadata().getName(),
                s.getMetadata().getResourceVersion()));
        client.resources(ProxySQL.class).inNamespace(ns.name()).list().getItems().forEach(p -> out.put("ProxySQL/" + p.getMetadata().getName(),
                p.getMetadata().getResourceVersion()));
        return out;
    }

    @Test
    @Order(4)
    void allowedRequestsAreAdmitted(KubernetesClient client, TestNamespace ns) {
        client.resource(OperatorFixture.proxysql(ns.name(), "px", "2.6.3-debian", 1)).create();
        client.resource(updateVersion(ns, "upgrade", "px", "2.7.3-debian")).create();
        client.resource(updateVersion(ns, "same", "px", "2.6.3-debian")).create();   // nothing to do: admitted, with a warning
        client.resource(restart(ns, "restart", "px")).create();
        client.resource(OpsFixture.verticalScaling(ns, "scale-up", "px", "{\"requests\": {\"cpu\": \"1\"}}", "1m")).create();
        client.resource(OpsFixture.horizontalScaling(ns, "scale-out", "px", 3, "1m")).create();
        assertThat(client.resources(ProxySQLOpsRequest.class).list().getItems()).extracting(r -> r.getMetadata().getName())
                .containsExactlyInAnyOrder("upgrade", "same", "restart", "scale-up", "scale-out");
    }

    @Test
    @Order(5)
    void withTheWebhookDownTheRequestIsAdmittedAndTheControllerFailsItWithTheSameMessage(KubernetesClient client, TestNamespace ns) {
        client.resource(OperatorFixture.proxysql(ns.name(), "px", "2.6.3-debian", 1)).create();
        ProxySQLOpsRequest tooFar = updateVersion(ns, "too-far", "px", "3.0.1-debian");
        KubernetesClientException denied = denial(() -> client.resource(tooFar).dryRun().create());
        assertThat(denied).as("denied while the webhook runs").isNotNull();
        String message = denied.getStatus().getMessage().substring(DENIED.length());

        webhook.close();
        // failurePolicy Ignore: the API server admits what it cannot get reviewed.
        Await.until(TIMEOUT, "the API server to admit the request without the webhook",
                () -> denial(() -> client.resource(tooFar).dryRun().create()) == null);
        client.resource(tooFar).create();

        ProxySQLOpsRequest failed = Await.until(TIMEOUT, "the controller to fail too-far",
                () -> client.resources(ProxySQLOpsRequest.class).withName("too-far").get(),
                r -> r.getStatus() != null && r.getStatus().getPhase() == OpsRequestPhase.FAILED);
        assertThat(Conditions.find(failed.getStatus().getConditions(), "Failed").orElseThrow().getMessage())
                .isEqualTo(message + "; nothing was changed");
        ProxySQL px = client.resources(ProxySQL.class).withName("px").get();
        assertThat(px.getSpec().getVersion()).isEqualTo("2.6.3-debian");
        assertThat(px.getStatus() == null || px.getStatus().getConditions() == null
                || !Conditions.isTrue(px.getStatus().getConditions(), PauseProtocol.PAUSED)).as("not paused").isTrue();
    }

    /** The API server's refusal of {@code create}, or null if it succeeded. */
    private static KubernetesClientException denial(Runnable create) {
        return catchThrowableOfType(KubernetesClientException.class, create::run);
    }

    private static ProxySQLOpsRequest updateVersion(TestNamespace ns, String name, String proxysql, String target) {
        return request(ns, name, proxysql).updateVersion(target).build();
    }

    private static ProxySQLOpsRequest restart(TestNamespace ns, String name, String proxysql) {
        return request(ns, name, proxysql).restart().build();
    }

    private static OpsRequests request(TestNamespace ns, String name, String proxysql) {
        return OpsRequests.on(ns.name(), proxysql).named(name).timeout("1m").apply(ApplyOption.IF_READY);
    }
}
