package dev.proxysql.operator.opsmanager;

import dev.proxysql.operator.opsmanager.queue.OpsQueue;
import dev.proxysql.operator.opsmanager.queue.QueueStamp;
import static dev.proxysql.operator.opsmanager.OpsFixture.TIMEOUT;
import static dev.proxysql.operator.opsmanager.OpsFixture.assertNotPaused;
import static dev.proxysql.operator.opsmanager.OpsFixture.awaitOps;
import static dev.proxysql.operator.opsmanager.OpsFixture.awaitReady;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.proxysql.operator.admission.CaBundlePublisher;
import dev.proxysql.operator.admission.WebhookServer;
import dev.proxysql.operator.admission.WebhookSettings;
import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestPhase;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.kube.Conditions;
import dev.proxysql.operator.runtime.OperatorSettings;
import dev.proxysql.operator.runtime.ProxySQLOperator;
import dev.proxysql.operator.testing.InstalledWebhooks;
import dev.proxysql.operator.testing.OperatorFixture;
import dev.proxysql.operator.testing.cluster.Await;
import dev.proxysql.operator.testing.cluster.LocalCluster;
import dev.proxysql.operator.testing.cluster.NamespaceLabels;
import dev.proxysql.operator.testing.cluster.TestCluster;
import dev.proxysql.operator.testing.cluster.TestNamespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.RuleWithOperations;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The queue order as a user sees it: the installed MutatingWebhookConfiguration (deploy/install), served from this JVM
 * by URL and limited to this class's namespaces, stamps each request; the ValidatingAdmissionPolicy proxysql-queued-at
 * (deploy/policies) keeps the stamp; and two requests created within one second, whose names sort the other way round,
 * run in creation order.
 */
@LocalCluster
@NamespaceLabels(QueueOrderIT.NAMESPACE_LABEL + "=true")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QueueOrderIT {
    static final String NAMESPACE_LABEL = "proxysql-operator.test/queue-order";
    private static final String CONFIGURATION = "proxysql-operator-queue-it";
    private static final PatchContext MERGE = new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE).build();
    private static final String POLICY_DENIED = "ValidatingAdmissionPolicy 'proxysql-queued-at' with binding 'proxysql-queued-at' denied request: ";

    private static KubernetesClient admin;
    private static KubernetesClient operatorClient;
    private static ProxySQLOperator operator;

    @BeforeEach
    void startOnce(KubernetesClient client, TestNamespace ns, TestCluster cluster) {
        if (operator != null) {
            return;
        }
        admin = client;
        OperatorFixture.installCatalogAndPolicies(client);
        operatorClient = OperatorFixture.operatorClient(cluster);
        WebhookSettings settings = new WebhookSettings(true, "127.0.0.1", 0, null, WebhookSettings.DEFAULT_SERVICE,
                WebhookSettings.DEFAULT_NAMESPACE, List.of("127.0.0.1"), CONFIGURATION);
        operator = new ProxySQLOperator(operatorClient, new OperatorSettings(true, true, Set.of(), false, settings), new SimpleMeterRegistry());
        operator.start();
        WebhookServer webhook = operator.webhook().orElseThrow();

        client.resource(localCopyOfTheInstalledConfiguration(webhook.port())).fieldManager("test-install").forceConflicts().serverSideApply();
        CaBundlePublisher.Result published = webhook.publishCaBundle().get(CaBundlePublisher.Target.MUTATING);
        assertThat(published.outcome()).as(published.detail()).isEqualTo(CaBundlePublisher.Outcome.PATCHED);
        // Both take effect asynchronously: wait until the API server calls the webhook and applies the policy.
        Await.until(TIMEOUT, "the API server to call the mutating webhook",
                () -> client.resource(restart(ns, "probe", "px")).dryRun().create(), r -> stamp(r) != null);
        ProxySQLOpsRequest probe = client.resource(restart(ns, "probe", "no-such-proxysql")).create();
        Await.until(TIMEOUT, "the API server to apply ValidatingAdmissionPolicy proxysql-queued-at",
                () -> refusal(() -> client.resources(ProxySQLOpsRequest.class).withName(probe.getMetadata().getName()).dryRun()
                        .patch(MERGE, annotate("2000-01-01T00:00:00.000000000Z"))),
                e -> e != null && e.getCode() == 403);
    }

    /** The installation's configuration, checked against the contract, then pointed at this JVM. */
    private static MutatingWebhookConfiguration localCopyOfTheInstalledConfiguration(int port) {
        MutatingWebhookConfiguration mwc = InstalledWebhooks.mutating(admin);
        assertThat(mwc.getMetadata().getName()).isEqualTo(WebhookSettings.DEFAULT_CONFIGURATION);
        assertThat(mwc.getWebhooks()).hasSize(1);
        MutatingWebhook w = mwc.getWebhooks().get(0);
        assertThat(w.getName()).isEqualTo("queue-stamp.proxysqlopsrequests.ops.kubedb.com");
        assertThat(w.getClientConfig().getService().getName()).isEqualTo(WebhookSettings.DEFAULT_SERVICE);
        assertThat(w.getClientConfig().getService().getNamespace()).isEqualTo(WebhookSettings.DEFAULT_NAMESPACE);
        assertThat(w.getClientConfig().getService().getPort()).isEqualTo(443);
        assertThat(w.getClientConfig().getService().getPath()).isEqualTo(WebhookServer.MUTATE_PATH);
        assertThat(w.getClientConfig().getCaBundle()).as("published by the operator").isNull();
        assertThat(w.getFailurePolicy()).isEqualTo("Fail");
        assertThat(w.getSideEffects()).isEqualTo("None");
        assertThat(w.getReinvocationPolicy()).isEqualTo("Never");
        assertThat(w.getAdmissionReviewVersions()).containsExactly("v1");
        assertThat(w.getTimeoutSeconds()).isEqualTo(5);
        RuleWithOperations rule = w.getRules().get(0);
        assertThat(rule.getApiGroups()).containsExactly("ops.kubedb.com");
        assertThat(rule.getOperations()).containsExactly("CREATE");
        assertThat(rule.getResources()).containsExactly("proxysqlopsrequests");

        mwc.getMetadata().setName(CONFIGURATION);
        InstalledWebhooks.callLocally(w, port, WebhookServer.MUTATE_PATH, NAMESPACE_LABEL);
        return mwc;
    }

    @AfterAll
    static void stop() {
        if (admin != null) {
            admin.admissionRegistration().v1().mutatingWebhookConfigurations().withName(CONFIGURATION).delete();
        }
        if (operator != null) {
            operator.close();
            operatorClient.close();
        }
    }

    @Test
    @Order(1)
    void everyCreateIsStampedAndAUserSuppliedStampIsReplaced(KubernetesClient client, TestNamespace ns) {
        Instant before = Instant.now();
        ProxySQLOpsRequest plain = client.resource(restart(ns, "plain", "no-such-proxysql")).create();
        ProxySQLOpsRequest forged = restart(ns, "forged", "no-such-proxysql");
        forged.getMetadata().setAnnotations(Map.of(QueueStamp.ANNOTATION, "1970-01-01T00:00:00.000000000Z", "team", "db"));
        ProxySQLOpsRequest stored = client.resource(forged).create();

        assertThat(stamp(plain)).as("stamp of plain").matches(QueueStamp.SHAPE);
        assertThat(Instant.parse(stamp(plain))).isBetween(before.minusSeconds(1), Instant.now());
        assertThat(stamp(stored)).as("the user's 1970 stamp is replaced by the webhook's").matches(QueueStamp.SHAPE)
                .isGreaterThan(stamp(plain));
        assertThat(stored.getMetadata().getAnnotations()).as("other annotations kept").containsEntry("team", "db");
        assertThat(OpsQueue.ORDER.compare(plain, stored)).as("plain before forged").isNegative();
    }

    @Test
    @Order(2)
    void theStampCannotBeAddedChangedOrRemovedAfterCreationNorMalformedAtCreation(KubernetesClient client, TestNamespace ns) {
        ProxySQLOpsRequest r = client.resource(restart(ns, "kept", "no-such-proxysql")).create();
        String stamp = stamp(r);
        var stored = client.resources(ProxySQLOpsRequest.class).withName("kept");

        // Merge patches, as `kubectl annotate --overwrite` sends: no resourceVersion, so the controller's status writes
        // meanwhile cannot turn a refusal into a conflict.
        KubernetesClientException changed = refusal(() -> stored.patch(MERGE, annotate("2000-01-01T00:00:00.000000000Z")));
        assertThat(changed).as("changing the stamp is refused").isNotNull();
        assertThat(changed.getCode()).isEqualTo(403);
        assertThat(changed.getStatus().getMessage()).isEqualTo("proxysqlopsrequests.ops.kubedb.com \"kept\" is forbidden: " + POLICY_DENIED + "metadata.annotations[proxysql.dev/queued-at] cannot be "
                + "changed after creation: it is the place of ProxySQLOpsRequest kept in its ProxySQL's queue, set by the operator when "
                + "the request was created (" + stamp + ")");
        KubernetesClientException removed = refusal(() -> stored.patch(MERGE, annotate(null)));
        assertThat(removed).as("removing the stamp is refused").isNotNull();
        assertThat(removed.getStatus().getMessage()).contains("cannot be removed after creation");
        stored.patch(MERGE, "{\"metadata\": {\"annotations\": {\"note\": \"other annotations stay editable\"}}}");
        assertThat(stamp(stored.get())).isEqualTo(stamp);

        // Where the webhook did not run (here: a namespace it does not serve), the policy still holds.
        String unserved = "queue-it-unserved-" + UUID.randomUUID().toString().substring(0, 8);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(unserved).endMetadata().build()).create();
        try {
            ProxySQLOpsRequest malformed = restart(ns, "malformed", "no-such-proxysql");
            malformed.getMetadata().setNamespace(unserved);
            malformed.getMetadata().setAnnotations(Map.of(QueueStamp.ANNOTATION, "first"));
            KubernetesClientException invalid = refusal(() -> client.resources(ProxySQLOpsRequest.class).inNamespace(unserved)
                    .resource(malformed).create());
            assertThat(invalid).as("a malformed stamp is refused at creation").isNotNull();
            assertThat(invalid.getCode()).isEqualTo(422);
            assertThat(invalid.getStatus().getMessage()).contains(POLICY_DENIED + "metadata.annotations[proxysql.dev/queued-at] is not a "
                    + "queue stamp (an RFC 3339 UTC time with nine fractional digits");

            ProxySQLOpsRequest unstamped = restart(ns, "unstamped", "no-such-proxysql");
            unstamped.getMetadata().setNamespace(unserved);
            ProxySQLOpsRequest created = client.resources(ProxySQLOpsRequest.class).inNamespace(unserved).resource(unstamped).create();
            assertThat(created.getMetadata().getNamespace()).isEqualTo(unserved);
            assertThat(stamp(created)).as("not stamped outside the webhook's namespaces").isNull();
            KubernetesClientException added = refusal(() -> client.resources(ProxySQLOpsRequest.class).inNamespace(unserved)
                    .withName("unstamped").patch(MERGE, annotate("2000-01-01T00:00:00.000000000Z")));
            assertThat(added).as("adding a stamp later is refused").isNotNull();
            assertThat(added.getStatus().getMessage()).contains("cannot be added after creation");
        } finally {
            client.namespaces().withName(unserved).delete();
        }
    }

    @Test
    @Order(3)
    void requestsCreatedWithinOneSecondRunInCreationOrderNotInNameOrder(KubernetesClient client, TestNamespace ns) {
        OperatorFixture.createBackend(client, ns.name());
        client.resource(OpsFixture.proxysql(ns, "px", 2, "1s")).create();
        awaitReady(client, "px");

        // creationTimestamp has whole seconds: create both early in one second (the API server shares this machine's
        // clock), so that it cannot tell them apart and only the stamp can; checked below.
        Await.until(Duration.ofSeconds(5), "the first 600 ms of a second", () -> Instant.now().getNano() < 600_000_000);
        ProxySQLOpsRequest first = client.resource(OpsFixture.restart(ns, "zz-first", "px")).create();
        ProxySQLOpsRequest second = client.resource(OpsFixture.restart(ns, "aa-second", "px")).create();
        assertThat(second.getMetadata().getCreationTimestamp()).as("both created within one second, else this proves nothing")
                .isEqualTo(first.getMetadata().getCreationTimestamp());
        assertThat(stamp(first)).as("stamps follow creation").isLessThan(stamp(second));

        // Each gets a phase once the operator has looked at it: the one ordered second is held back (Pending), the other
        // runs. Ordered by name, aa-second would run first, or (when zz-first had already started) both would run at once.
        Map<String, ProxySQLOpsRequest> seen = Await.until(TIMEOUT, "zz-first and aa-second to have a phase",
                () -> phases(client, "zz-first", "aa-second"), m -> m.size() == 2);
        assertThat(seen.get("aa-second").getStatus().getPhase()).as("phase of aa-second, created second").isEqualTo(OpsRequestPhase.PENDING);
        assertThat(seen.get("zz-first").getStatus().getPhase()).as("phase of zz-first, created first").isNotEqualTo(OpsRequestPhase.PENDING);
        var queued = Conditions.find(seen.get("aa-second").getStatus().getConditions(), "Queued").orElseThrow();
        assertThat(queued.getReason()).isEqualTo("WaitingForOpsRequest");
        assertThat(queued.getMessage()).contains("waiting for ProxySQLOpsRequest zz-first on the same ProxySQL to finish");

        ProxySQLOpsRequest firstDone = awaitOps(client, "zz-first", OpsRequestPhase.SUCCESSFUL);
        ProxySQLOpsRequest secondDone = awaitOps(client, "aa-second", OpsRequestPhase.SUCCESSFUL);
        assertThat(Conditions.find(secondDone.getStatus().getConditions(), "Running").orElseThrow().getLastTransitionTime())
                .as("aa-second started after zz-first finished").isGreaterThanOrEqualTo(
                        Conditions.find(firstDone.getStatus().getConditions(), "Successful").orElseThrow().getLastTransitionTime());
        assertNotPaused(client, "px");
    }

    /** The named requests that have a phase already. */
    private static Map<String, ProxySQLOpsRequest> phases(KubernetesClient client, String... names) {
        Map<String, ProxySQLOpsRequest> seen = new HashMap<>();
        for (String name : names) {
            ProxySQLOpsRequest r = client.resources(ProxySQLOpsRequest.class).withName(name).get();
            if (r.getStatus() != null && r.getStatus().getPhase() != null) {
                seen.put(name, r);
            }
        }
        return seen;
    }

    private static String stamp(ProxySQLOpsRequest r) {
        return r.getMetadata().getAnnotations() == null ? null : r.getMetadata().getAnnotations().get(QueueStamp.ANNOTATION);
    }

    /** A JSON merge patch setting the stamp to {@code value}, or removing it for null. */
    private static String annotate(String value) {
        return "{\"metadata\": {\"annotations\": {\"" + QueueStamp.ANNOTATION + "\": " + (value == null ? "null" : "\"" + value + "\"") + "}}}";
    }

    /** The API server's refusal, or null if the write succeeded. */
    private static KubernetesClientException refusal(Runnable write) {
        return catchThrowableOfType(KubernetesClientException.class, write::run);
    }

    private static ProxySQLOpsRequest restart(TestNamespace ns, String name, String proxysql) {
        return OpsFixture.restart(ns, name, proxysql);
    }
}
