package dev.proxysql.operator.opsmanager.reconfiguretls;

import dev.proxysql.operator.opsmanager.step.OpsReason;
import dev.proxysql.operator.opsmanager.step.ConditionType;
import dev.proxysql.operator.api.common.Condition;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.kube.Conditions;
import dev.proxysql.operator.opsmanager.step.Operation.Moment;
import dev.proxysql.operator.opsmanager.step.Operation.Note;
import dev.proxysql.operator.opsmanager.reconfiguretls.ReconfigureTlsOperation.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The conditions KubeDB's ops manager records on a ReconfigureTLS request (its {@code apis/ops/v1alpha1/constant.go}:
 * {@code AddTLS}, {@code RemoveTLS}, {@code Issuing}, {@code IssueCertificatesSucceeded}, {@code CertificateSynced} and
 * the {@code ...Succeeded}/{@code ...Failed} reasons), recorded in addition to ours so that tooling written for KubeDB
 * finds them. Pure: decided from the kind of change and the conditions the request already has, never from the
 * ProxySQL's {@code spec.tls}, which UpdatingDatabase changes before the request ends.
 *
 * <table>
 *   <tr><th>moment</th><th>add</th><th>issuer change</th><th>remove</th><th>rotate</th></tr>
 *   <tr><td>certificates being issued</td><td>AddTLS=False (AddTLS), Issuing=False (Issuing)</td>
 *       <td>Issuing=False (Issuing)</td><td>RemoveTLS=False (RemoveTLS)</td><td>Issuing=False (Issuing)</td></tr>
 *   <tr><td>the server certificate Secret holds the new certificate</td><td colspan="2">Issuing=True, IssueCertificatesSucceeded=True,
 *       CertificateSynced=True</td><td>-</td><td>the same</td></tr>
 *   <tr><td>every pod replaced and checked</td><td>AddTLS=True (AddTLSSucceeded)</td><td>-</td>
 *       <td>RemoveTLS=True (RemoveTLSSucceeded)</td><td>-</td></tr>
 *   <tr><td>failed while issuing</td><td colspan="2">Issuing=False and IssueCertificatesSucceeded=False (IssueCertificatesFailed)</td>
 *       <td>-</td><td>the same</td></tr>
 *   <tr><td>failed after</td><td>AddTLS=False (AddTLSFailed)</td><td>-</td><td>RemoveTLS=False (RemoveTLSFailed)</td><td>-</td></tr>
 * </table>
 * KubeDB sets {@code IssueCertificatesSucceeded} once it has asked cert-manager to issue (the Certificates' {@code Issuing}
 * condition) and {@code CertificateSynced} once the Certificates are Ready again; here both are recorded when the
 * server certificate's Secret holds the new certificate: with the operator's own CA asking and having are one write,
 * and with cert-manager the step waits for the Secret before it goes on.
 */
public final class ReconfigureTlsConditions {
    public static final String ADD_TLS = ConditionType.ADD_TLS.value();
    public static final String REMOVE_TLS = ConditionType.REMOVE_TLS.value();
    public static final String ISSUING = ConditionType.ISSUING.value();
    public static final String ISSUE_CERTIFICATES_SUCCEEDED = ConditionType.ISSUE_CERTIFICATES_SUCCEEDED.value();
    public static final String ISSUE_CERTIFICATES_FAILED = OpsReason.ISSUE_CERTIFICATES_FAILED.value();
    public static final String CERTIFICATE_SYNCED = ConditionType.CERTIFICATE_SYNCED.value();

    private ReconfigureTlsConditions() {
    }

    /**
     * The notes for {@code moment} of the template-change flow (add, issuer change, remove); {@code kind} is the change
     * as decided on the unchanged ProxySQL (it is only read at {@link Moment#TEMPLATE_CHANGE_STARTS}: later moments go by
     * the conditions already recorded).
     */
    static List<Note> at(Moment moment, Kind kind, String proxysql, String issuer, ProxySQLOpsRequest r) {
        List<Condition> have = r.getStatus() == null ? null : r.getStatus().getConditions();
        List<Note> notes = new ArrayList<>();
        switch (moment) {
            case TEMPLATE_CHANGE_STARTS -> {
                if (kind == Kind.ADD && find(have, ADD_TLS).isEmpty()) {
                    notes.add(new Note(ADD_TLS, false, ADD_TLS, "adding TLS to ProxySQL " + proxysql + ": certificates from " + issuer
                            + ", then every pod replaced one at a time"));
                }
                if (kind == Kind.REMOVE && find(have, REMOVE_TLS).isEmpty()) {
                    notes.add(new Note(REMOVE_TLS, false, REMOVE_TLS, "removing TLS from ProxySQL " + proxysql
                            + ": every pod replaced one at a time without the certificates"));
                }
                if ((kind == Kind.ADD || kind == Kind.ISSUER_CHANGE) && find(have, ISSUING).isEmpty()) {
                    notes.add(issuing("issuing the certificates of ProxySQL " + proxysql + " from " + issuer));
                }
            }
            case TEMPLATE_PREPARED -> {
                if (find(have, ISSUING).filter(c -> !Condition.TRUE.equals(c.getStatus())).isPresent()) {
                    notes.addAll(issued("Successfully issued the certificates of ProxySQL " + proxysql + " from " + issuer,
                            "Successfully synced all certificates: the server certificate Secret holds the certificate and key the pods mount"));
                }
            }
            case PODS_REPLACED -> {
                if (find(have, ADD_TLS).isPresent()) {
                    notes.add(new Note(ADD_TLS, true, ConditionType.ADD_TLS.succeeded(), "Successfully added TLS: every pod was replaced with the"
                            + " certificates mounted and checked"));
                }
                if (find(have, REMOVE_TLS).isPresent()) {
                    notes.add(new Note(REMOVE_TLS, true, ConditionType.REMOVE_TLS.succeeded(), "Successfully removed TLS: every pod was replaced"
                            + " without the certificates and checked"));
                }
            }
            case FAILED -> notes.addAll(failed(r));
        }
        return notes;
    }

    /** Certificates being issued (a rotation's first write, or an add's or issuer change's before the template). */
    public static Note issuing(String message) {
        return new Note(ISSUING, false, ISSUING, message);
    }

    /** The server certificate's Secret holds the new certificate: issued and synced. */
    public static List<Note> issued(String issuedMessage, String syncedMessage) {
        return List.of(new Note(ISSUING, true, ISSUE_CERTIFICATES_SUCCEEDED, issuedMessage),
                new Note(ISSUE_CERTIFICATES_SUCCEEDED, true, ISSUE_CERTIFICATES_SUCCEEDED, issuedMessage),
                new Note(CERTIFICATE_SYNCED, true, CERTIFICATE_SYNCED, syncedMessage));
    }

    /**
     * The request failed: issuing, if it had not succeeded yet, and the add or removal, if one was under way, are
     * recorded as failed, with the request's recorded failure as message.
     */
    public static List<Note> failed(ProxySQLOpsRequest r) {
        List<Condition> have = r.getStatus() == null ? null : r.getStatus().getConditions();
        String reason = r.getStatus() == null || r.getStatus().getProgress() == null
                || r.getStatus().getProgress().getFailure() == null ? "the request failed" : r.getStatus().getProgress().getFailure();
        List<Note> notes = new ArrayList<>();
        if (find(have, ISSUING).filter(c -> !Condition.TRUE.equals(c.getStatus())).isPresent()) {
            notes.add(new Note(ISSUING, false, ISSUE_CERTIFICATES_FAILED, reason));
            notes.add(new Note(ISSUE_CERTIFICATES_SUCCEEDED, false, ISSUE_CERTIFICATES_FAILED, reason));
        }
        if (find(have, ADD_TLS).filter(c -> !Condition.TRUE.equals(c.getStatus())).isPresent()) {
            notes.add(new Note(ADD_TLS, false, ConditionType.ADD_TLS.failed(), reason));
        }
        if (find(have, REMOVE_TLS).filter(c -> !Condition.TRUE.equals(c.getStatus())).isPresent()) {
            notes.add(new Note(REMOVE_TLS, false, ConditionType.REMOVE_TLS.failed(), reason));
        }
        return notes;
    }

    private static Optional<Condition> find(List<Condition> conditions, String type) {
        return Conditions.find(conditions, type);
    }
}
