package dev.proxysql.operator.opsmanager.reconfiguretls;

import static dev.proxysql.operator.opsmanager.reconfiguretls.ReconfigureTlsConditions.ADD_TLS;
import static dev.proxysql.operator.opsmanager.reconfiguretls.ReconfigureTlsConditions.CERTIFICATE_SYNCED;
import static dev.proxysql.operator.opsmanager.reconfiguretls.ReconfigureTlsConditions.ISSUE_CERTIFICATES_SUCCEEDED;
import static dev.proxysql.operator.opsmanager.reconfiguretls.ReconfigureTlsConditions.ISSUING;
import static dev.proxysql.operator.opsmanager.reconfiguretls.ReconfigureTlsConditions.REMOVE_TLS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.common.Condition;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.ops.v1alpha1.OpsProgress;
import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestStatus;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.kube.Conditions;
import dev.proxysql.operator.opsmanager.step.Operation.Moment;
import dev.proxysql.operator.opsmanager.step.Operation.Note;
import dev.proxysql.operator.testing.OperatorFixture;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * KubeDB's ReconfigureTLS conditions at each moment of the flow, applied to a request's status as the state machine
 * applies them (OpsRun.note): type to "status reason".
 */
class ReconfigureTlsConditionsTest {
    private final ReconfigureTlsOperation op = new ReconfigureTlsOperation(null, null);
    private final ProxySQL plain = OperatorFixture.proxysql("ns", "px", "2.6.3-debian", 3);

    @Test
    void anAddIsAnnouncedThenIssuedAndSyncedThenSucceeded() {
        ProxySQLOpsRequest r = request("certificates: [{alias: server}]");
        assertThat(apply(r, Moment.TEMPLATE_CHANGE_STARTS, plain)).containsExactly(
                Map.entry(ADD_TLS, "False AddTLS"), Map.entry(ISSUING, "False Issuing"));
        assertThat(message(r, ADD_TLS)).isEqualTo("adding TLS to ProxySQL px: certificates from the operator's own CA, then every pod"
                + " replaced one at a time");
        assertThat(op.conditionsAt(Moment.TEMPLATE_CHANGE_STARTS, r, plain)).as("said once").isEmpty();
        assertThat(apply(r, Moment.TEMPLATE_PREPARED, plain)).containsExactly(Map.entry(ADD_TLS, "False AddTLS"),
                Map.entry(CERTIFICATE_SYNCED, "True CertificateSynced"), Map.entry(ISSUE_CERTIFICATES_SUCCEEDED, "True IssueCertificatesSucceeded"),
                Map.entry(ISSUING, "True IssueCertificatesSucceeded"));
        assertThat(op.conditionsAt(Moment.TEMPLATE_CHANGE_STARTS, r, plain)).as("a later pass of the step takes nothing back").isEmpty();
        assertThat(op.conditionsAt(Moment.TEMPLATE_PREPARED, r, plain)).isEmpty();
        assertThat(apply(r, Moment.PODS_REPLACED, plain)).containsEntry(ADD_TLS, "True AddTLSSucceeded");
        assertThat(op.conditionsAt(Moment.FAILED, r, withTls("ca")).stream().map(Note::type))
                .as("a failure after (UpdatingDatabase refused) leaves what succeeded").isEmpty();
    }

    @Test
    void anIssuerChangeIssuesAndSyncsButIsNoAdd() {
        ProxySQL tls = withTls("old");
        ProxySQLOpsRequest r = request("issuerRef: {apiGroup: cert-manager.io, kind: ClusterIssuer, name: new}");
        assertThat(apply(r, Moment.TEMPLATE_CHANGE_STARTS, tls)).containsExactly(Map.entry(ISSUING, "False Issuing"));
        assertThat(message(r, ISSUING)).isEqualTo("issuing the certificates of ProxySQL px from ClusterIssuer \"new\"");
        apply(r, Moment.TEMPLATE_PREPARED, tls);
        assertThat(apply(r, Moment.PODS_REPLACED, tls)).doesNotContainKeys(ADD_TLS, REMOVE_TLS)
                .containsEntry(CERTIFICATE_SYNCED, "True CertificateSynced");
    }

    @Test
    void aRemovalIsAnnouncedThenSucceededWithNothingIssued() {
        ProxySQL tls = withTls(null);
        ProxySQLOpsRequest r = request("remove: true");
        assertThat(apply(r, Moment.TEMPLATE_CHANGE_STARTS, tls)).containsExactly(Map.entry(REMOVE_TLS, "False RemoveTLS"));
        assertThat(op.conditionsAt(Moment.TEMPLATE_PREPARED, r, tls)).isEmpty();
        assertThat(apply(r, Moment.PODS_REPLACED, tls)).containsExactly(Map.entry(REMOVE_TLS, "True RemoveTLSSucceeded"));
        ProxySQLOpsRequest failing = request("remove: true");
        apply(failing, Moment.TEMPLATE_CHANGE_STARTS, tls);
        failing.getStatus().getProgress().setFailure("step ReplacingPods, pod px-0: not Ready");
        assertThat(apply(failing, Moment.FAILED, tls)).containsExactly(Map.entry(REMOVE_TLS, "False RemoveTLSFailed"));
        assertThat(message(failing, REMOVE_TLS)).isEqualTo("step ReplacingPods, pod px-0: not Ready");
    }

    @Test
    void anAddFailingWhileIssuingSaysIssueCertificatesFailedAndAddTlsFailed() {
        ProxySQLOpsRequest r = request("issuerRef: {apiGroup: cert-manager.io, kind: Issuer, name: ca}");
        apply(r, Moment.TEMPLATE_CHANGE_STARTS, plain);
        r.getStatus().getProgress().setFailure("step UpdatingStatefulSet: waiting for cert-manager to issue the Secret px-server-cert");
        assertThat(apply(r, Moment.FAILED, plain)).containsExactly(Map.entry(ADD_TLS, "False AddTLSFailed"),
                Map.entry(ISSUE_CERTIFICATES_SUCCEEDED, "False IssueCertificatesFailed"), Map.entry(ISSUING, "False IssueCertificatesFailed"));
        assertThat(message(r, ISSUE_CERTIFICATES_SUCCEEDED)).contains("waiting for cert-manager");
    }

    @Test
    void aFailureIsRecordedWhenTheProxySqlIsGone() {
        ProxySQLOpsRequest r = request("issuerRef: {apiGroup: cert-manager.io, kind: Issuer, name: ca}");
        apply(r, Moment.TEMPLATE_CHANGE_STARTS, plain);
        r.getStatus().getProgress().setFailure("step UpdatingStatefulSet: the API server refused a write (500)");
        assertThat(apply(r, Moment.FAILED, null)).containsEntry(ADD_TLS, "False AddTLSFailed")
                .containsEntry(ISSUING, "False IssueCertificatesFailed");
        assertThat(op.conditionsAt(Moment.TEMPLATE_PREPARED, r, null)).as("no ProxySQL, nothing else to say").isEmpty();
    }

    @Test
    void anAddFailingAfterIssuingKeepsTheCertificatesIssued() {
        ProxySQLOpsRequest r = request("certificates: [{alias: server}]");
        apply(r, Moment.TEMPLATE_CHANGE_STARTS, plain);
        apply(r, Moment.TEMPLATE_PREPARED, plain);
        r.getStatus().getProgress().setFailure("step ReplacingPods, pod px-1: did not become Ready");
        assertThat(apply(r, Moment.FAILED, plain)).containsEntry(ADD_TLS, "False AddTLSFailed")
                .containsEntry(ISSUE_CERTIFICATES_SUCCEEDED, "True IssueCertificatesSucceeded").containsEntry(ISSUING, "True IssueCertificatesSucceeded");
    }

    @Test
    void aRotationGetsItsNotesFromItsOwnStepAndOnlyTheFailureFromTheSharedOne() {
        ProxySQL tls = withTls(null);
        ProxySQLOpsRequest r = request("rotateCertificates: true");
        for (Moment m : List.of(Moment.TEMPLATE_CHANGE_STARTS, Moment.TEMPLATE_PREPARED, Moment.PODS_REPLACED)) {
            assertThat(op.conditionsAt(m, r, tls)).as(m.name()).isEmpty();
        }
        applyNotes(r, List.of(ReconfigureTlsConditions.issuing("issuing a new server certificate to replace serial 1f")));
        r.getStatus().getProgress().setFailure("step RotatingCertificates: no new server certificate was issued within 1m0s");
        assertThat(apply(r, Moment.FAILED, tls)).containsExactly(Map.entry(ISSUE_CERTIFICATES_SUCCEEDED, "False IssueCertificatesFailed"),
                Map.entry(ISSUING, "False IssueCertificatesFailed"));
        ProxySQLOpsRequest done = request("rotateCertificates: true");
        applyNotes(done, ReconfigureTlsConditions.issued("new server certificate, serial 20", "synced"));
        assertThat(summary(done)).containsExactly(Map.entry(CERTIFICATE_SYNCED, "True CertificateSynced"),
                Map.entry(ISSUE_CERTIFICATES_SUCCEEDED, "True IssueCertificatesSucceeded"), Map.entry(ISSUING, "True IssueCertificatesSucceeded"));
        assertThat(op.conditionsAt(Moment.FAILED, done, tls)).as("a reload failing after the issue").isEmpty();
    }

    /** Applies the notes of {@code moment}; returns every condition of the request as "status reason", by type. */
    private Map<String, String> apply(ProxySQLOpsRequest r, Moment moment, ProxySQL p) {
        applyNotes(r, op.conditionsAt(moment, r, p));
        return summary(r);
    }

    private static void applyNotes(ProxySQLOpsRequest r, List<Note> notes) {
        for (Note n : notes) {
            Condition c = Conditions.next(Conditions.find(r.getStatus().getConditions(), n.type()), n.type(), n.status(), n.reason(),
                    n.message(), 1, Clock.systemUTC());
            r.getStatus().setConditions(Conditions.upsert(r.getStatus().getConditions(), c));
        }
    }

    private static Map<String, String> summary(ProxySQLOpsRequest r) {
        Map<String, String> out = new TreeMap<>();
        if (r.getStatus().getConditions() != null) {
            r.getStatus().getConditions().forEach(c -> out.put(c.getType(), c.getStatus() + " " + c.getReason()));
        }
        return out;
    }

    private static String message(ProxySQLOpsRequest r, String type) {
        return Conditions.find(r.getStatus().getConditions(), type).map(Condition::getMessage).orElse(null);
    }

    private ProxySQL withTls(String issuer) {
        return ReconfigureTlsOperationTest.withTls(plain, issuer);
    }

    /** A ReconfigureTLS request (ReconfigureTlsOperationTest's) with an empty status, as the state machine starts it. */
    private static ProxySQLOpsRequest request(String tls) {
        ProxySQLOpsRequest r = ReconfigureTlsOperationTest.request(tls);
        r.setStatus(new OpsRequestStatus());
        r.getStatus().setProgress(new OpsProgress());
        return r;
    }
}
