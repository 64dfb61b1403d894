package dev.proxysql.operator.opsmanager.step;

import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.ops.v1alpha1.OpsStep;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import java.util.Map;

/**
 * What one ops type contributes to the shared machinery (queue, pause, template change, one-pod-at-a-time
 * replacement with checks, rollback, resume): its validation, the pod-template change (images, resources,
 * annotations), the version pods must run
 * afterwards, and the final change to the ProxySQL's spec.
 */
public interface Operation {

    /** Read-only checks before anything is touched. */
    public Validation validate(ProxySQLOpsRequest request, ProxySQL proxysql);

    /**
     * The ProxySQL as this request leaves it (a copy; {@code proxysql} is not changed): its pods are rolled to the
     * StatefulSet the provisioner's renderer makes from it, and {@link #updateDatabase} writes the same change into the
     * ProxySQL at the end, so that the provisioner renders the same StatefulSet after the resume.
     */
    public ProxySQL target(ProxySQLOpsRequest request, ProxySQL proxysql);

    /**
     * How many members the request works through, for its time budget ({@code RequestDeadline.budget}): by default the
     * ProxySQL's replicas; HorizontalScaling the larger of those and its target.
     */
    public default int members(ProxySQLOpsRequest request, ProxySQL proxysql) {
        Integer replicas = proxysql.getSpec().getReplicas();
        return replicas == null ? 1 : replicas;
    }

    /**
     * How many waits, each bounded by one step timeout, one attempt on one member may take, for the request's time
     * budget: 1 by default (a pod's replacement ends at its start plus the timeout, check included).
     */
    public default int timedWaitsPerMember() {
        return 1;
    }

    /** Whether the request changes container resources (their rollback needs {@code status.progress.targetResources}). */
    public default boolean changesResources() {
        return false;
    }

    /**
     * The step after the pause, which decides the request's flow: by default UpdatingStatefulSet (a new pod template,
     * then pods replaced one at a time); the types that replace no pod have their own step (ReconfiguringPods,
     * RotatingAuth, RotatingCertificates) and HorizontalScaling changes the membership instead (ScalingMembers).
     */
    public default OpsStep stepAfterPause(ProxySQLOpsRequest request) {
        return OpsStep.UPDATING_STATEFUL_SET;
    }

    /**
     * Whether the pod spec itself changes in a way images and resources do not show (volumes, init containers), so
     * that a failure must roll the template back; ReconfigureTLS's add, remove and issuer change.
     */
    public default boolean changesPodSpec(ProxySQLOpsRequest request) {
        return false;
    }

    /**
     * What must exist before the pods get the new template, made here (idempotent, called until it answers empty):
     * ReconfigureTLS issues the certificates the new template mounts, since the paused provisioner does not. Returns
     * what it still waits for (the template is not changed meanwhile; the step times out as usual), or empty.
     */
    public default java.util.Optional<String> prepareTemplate(ProxySQLOpsRequest request, ProxySQL proxysql) {
        return java.util.Optional.empty();
    }

    /**
     * What the previous template needs again before the pods go back to it (idempotent, called until it answers
     * empty, before the rollback's template is written and before its pods are planned): ReconfigureTLS's issuer
     * change puts the Certificates back on the original issuer and waits until their Secrets are issued by it.
     * Returns what it still waits for, or empty.
     */
    public default java.util.Optional<String> prepareRollback(ProxySQLOpsRequest request, ProxySQL proxysql) {
        return java.util.Optional.empty();
    }

    /**
     * Pod-template annotations the change adds; a new value makes a new revision, so every pod is replaced. None by
     * default: only Restart changes the template with nothing else to show for it, and ReconfigureTLS's issuer change.
     * {@code proxysql} is the ProxySQL as the request finds it (its spec not yet changed), or null when it is gone.
     * A rollback removes them, so that the pods not yet replaced keep their revision.
     */
    public default Map<String, String> templateAnnotations(ProxySQLOpsRequest request, ProxySQL proxysql) {
        return Map.of();
    }

    /**
     * The ProxySQLVersion (the catalog entry's name, e.g. {@code 2.7.3-debian}) whose image the pods run afterwards. Not
     * the ProxySQL release the pods report (that entry's {@code spec.version}, e.g. {@code 2.7.3}), which the state
     * machine looks up for the check.
     * By default the version the ProxySQL already runs: only UpdateVersion changes it.
     */
    public default String targetVersionName(ProxySQLOpsRequest request, ProxySQL proxysql) {
        return proxysql.getSpec().getVersion();
    }

    /** The moments of the shared template-change flow at which a type may record conditions of its own. */
    public enum Moment {
        /** UpdatingStatefulSet, before {@link #prepareTemplate}: the ProxySQL's spec is still the one the request found. */
        TEMPLATE_CHANGE_STARTS,
        /** {@link #prepareTemplate} has nothing more to wait for; the template is written next. */
        TEMPLATE_PREPARED,
        /** Every pod was replaced and checked; UpdatingDatabase is next. */
        PODS_REPLACED,
        /** The request failed (it rolls back or resumes next). */
        FAILED
    }

    /** A condition a type records (type, status, reason, message), in addition to the shared ones. */
    public record Note(String type, boolean status, String reason, String message) {
    }

    /**
     * The conditions KubeDB's ops manager records for this type at {@code moment}, in addition to the shared ones, so
     * that tooling written for KubeDB finds them (ReconfigureTLS's {@code AddTLS}, {@code Issuing},
     * {@code IssueCertificatesSucceeded}...). Decided from the request (its conditions so far) and the ProxySQL as read;
     * the state machine saves them before it acts. None by default.
     */
    public default java.util.List<Note> conditionsAt(Moment moment, ProxySQLOpsRequest request, ProxySQL proxysql) {
        return java.util.List.of();
    }

    /**
     * What the type's own flow needs recorded once the ProxySQL is paused, before its first step (HorizontalScaling: the
     * members to add or remove); the caller saves. Nothing by default.
     */
    default void planAfterPause(ProxySQLOpsRequest request, ProxySQL proxysql, dev.proxysql.operator.api.ops.v1alpha1.OpsProgress progress) {
    }

    /**
     * Whether the type takes pods out of the client Service (HorizontalScaling's scale-down), so that Resuming puts every
     * pod still there back, whatever the outcome.
     */
    default boolean takesPodsOutOfClientService() {
        return false;
    }

    /**
     * The final message of a failed request of this type, once resumed (what failed, then what became of the
     * rollback); empty: the shared template flow's message.
     */
    default java.util.Optional<String> failureOutcome(OpsRun run) {
        return java.util.Optional.empty();
    }

    /** The last step before resuming, e.g. setting spec.version. Must be idempotent. */
    public void updateDatabase(ProxySQLOpsRequest request, ProxySQL proxysql);

    /** Condition type that summarises the operation, e.g. VersionUpdate or Restart. */
    ConditionType conditionType();

    /** One line for the Successful condition. */
    public String successMessage(ProxySQLOpsRequest request, ProxySQL proxysql);

    /**
     * The outcome of {@link #validate}. The same value decides at admission (the webhook) and in the controller, so
     * both give the same message; a message names the field it is about.
     *
     * @param refusal for {@link Kind#REJECT}: whether the request is invalid as written (a reference that resolves to
     *                nothing) or well-formed but not permitted (a deprecated target, one the update constraints
     *                exclude); null otherwise
     */
    public record Validation(Kind kind, String message, Refusal refusal) {
        /** Run it, refuse it, or there is nothing to do. */
        public enum Kind { RUN, REJECT, NOTHING_TO_DO }

        /** Why a request is refused; the webhook answers 422 (Invalid) or 403 (Forbidden) accordingly. */
        public enum Refusal { INVALID, FORBIDDEN }

        public static Validation run() {
            return new Validation(Kind.RUN, null, null);
        }

        /** Refused because the request, as written, cannot be carried out (e.g. it names an object that does not exist). */
        public static Validation reject(String message) {
            return new Validation(Kind.REJECT, message, Refusal.INVALID);
        }

        /** Refused because the request is well-formed but not permitted (e.g. by the catalog's update constraints). */
        public static Validation forbid(String message) {
            return new Validation(Kind.REJECT, message, Refusal.FORBIDDEN);
        }

        public static Validation nothingToDo(String message) {
            return new Validation(Kind.NOTHING_TO_DO, message, null);
        }
    }
}
