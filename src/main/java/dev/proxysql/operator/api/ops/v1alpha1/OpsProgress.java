package dev.proxysql.operator.api.ops.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.ArrayList;
import java.util.List;

/**
 * All progress of an ops request (an extension of KubeDB's status): the step, what to roll back to, and each pod's
 * replacement. Nothing about a running request lives only in operator memory.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class OpsProgress {
    private OpsStep step;
    /** When the current step started (RFC 3339); bounds it by spec.timeout. */
    private String stepStartedAt;
    /**
     * When the request fails whatever its step clocks say (RFC 3339): its time budget after it left the queue, then,
     * once it failed, the same budget again for the rollback. Unlike the step clocks it is not moved by an operator
     * restart, so it bounds a request whose operator keeps restarting (docs/ops-manager.md, "Timeouts and retries").
     */
    private String deadline;
    /** The time budget the deadline was computed from (a Go duration): spec.timeout times the request's timed waits. */
    private String timeBudget;
    /** The deadline was moved once for an operator that was not running when it passed; it is never moved again. */
    private Boolean deadlineExtended;
    /** The ProxySQLVersion (catalog entry name) the ProxySQL ran when the request started: its spec.version then. */
    private String fromVersion;
    /** The ProxySQLVersion (catalog entry name) the pods run once the request is done. */
    private String toVersion;
    /** Container name to image, as the StatefulSet template had them before the request changed it. */
    private java.util.Map<String, String> previousImages;
    /** Container name to image that the request puts in the template. */
    private java.util.Map<String, String> targetImages;
    /**
     * The values the template had, before the request changed it, of the annotations the request sets (a key missing:
     * the template did not have it); a rollback puts them back, so that the pods not yet replaced keep their revision.
     */
    private java.util.Map<String, String> previousAnnotations;
    /** Container name to resources, as the StatefulSet template had them before the request changed them. */
    private java.util.Map<String, ResourceRequirements> previousResources;
    /** Container name to resources that the request puts in the template (VerticalScaling). */
    private java.util.Map<String, ResourceRequirements> targetResources;
    /** The pods to replace, in order; during rollback, the pods to replace back. */
    private List<PodProgress> pods = new ArrayList<>();
    /** Why the request is failing, recorded before a rollback starts: step, pod and reason. */
    private String failure;
    /** Why the rollback failed, if it did. */
    private String rollbackFailure;
    /** The request was deleted while running: it is being cancelled. */
    private Boolean cancelled;
    /** Reconfigure: the values before the change and each pod's state. */
    private ReconfigureProgress reconfigure;
    /** ReconfigureTLS rotateCertificates: the serials and each pod's state. */
    private TlsRotationProgress tlsRotation;

    /** HorizontalScaling: the member count (spec.replicas) when the request started, what a rollback returns to. */
    private Integer fromReplicas;
    /** HorizontalScaling: the member count the request moves to. */
    private Integer toReplicas;

    public Integer getFromReplicas() {
        return fromReplicas;
    }

    public void setFromReplicas(Integer fromReplicas) {
        this.fromReplicas = fromReplicas;
    }

    public Integer getToReplicas() {
        return toReplicas;
    }

    public void setToReplicas(Integer toReplicas) {
        this.toReplicas = toReplicas;
    }

    /**
     * RotateAuth: the highest rotation state (0 to 5) the operator has asked any pod to take, saved before the write.
     * Pods only ever reach states the operator wrote (the ProxySQL Cluster copies those), so with none written a
     * rollback has no pod to walk back, even one that cannot be reached.
     */
    private Integer rotateAuthState;

    public OpsStep getStep() {
        return step;
    }


    public void setStep(OpsStep step) {
        this.step = step;
    }

    public String getDeadline() {
        return deadline;
    }

    public void setDeadline(String deadline) {
        this.deadline = deadline;
    }

    public String getTimeBudget() {
        return timeBudget;
    }

    public void setTimeBudget(String timeBudget) {
        this.timeBudget = timeBudget;
    }

    public Boolean getDeadlineExtended() {
        return deadlineExtended;
    }

    public void setDeadlineExtended(Boolean deadlineExtended) {
        this.deadlineExtended = deadlineExtended;
    }

    public String getStepStartedAt() {
        return stepStartedAt;
    }


    public void setStepStartedAt(String stepStartedAt) {
        this.stepStartedAt = stepStartedAt;
    }

    public String getFromVersion() {
        return fromVersion;
    }


    public void setFromVersion(String fromVersion) {
        this.fromVersion = fromVersion;
    }

    public String getToVersion() {
        return toVersion;
    }


    public void setToVersion(String toVersion) {
        this.toVersion = toVersion;
    }

    public java.util.Map<String, String> getPreviousImages() {
        return previousImages;
    }


    public void setPreviousImages(java.util.Map<String, String> previousImages) {
        this.previousImages = previousImages;
    }

    public java.util.Map<String, String> getPreviousAnnotations() {
        return previousAnnotations;
    }

    public void setPreviousAnnotations(java.util.Map<String, String> previousAnnotations) {
        this.previousAnnotations = previousAnnotations;
    }

    public java.util.Map<String, String> getTargetImages() {
        return targetImages;
    }


    public void setTargetImages(java.util.Map<String, String> targetImages) {
        this.targetImages = targetImages;
    }

    public List<PodProgress> getPods() {
        return pods;
    }


    public void setPods(List<PodProgress> pods) {
        this.pods = pods;
    }

    public String getFailure() {
        return failure;
    }


    public void setFailure(String failure) {
        this.failure = failure;
    }

    public String getRollbackFailure() {
        return rollbackFailure;
    }


    public void setRollbackFailure(String rollbackFailure) {
        this.rollbackFailure = rollbackFailure;
    }

    public Boolean getCancelled() {
        return cancelled;
    }


    public void setCancelled(Boolean cancelled) {
        this.cancelled = cancelled;
    }

    public java.util.Map<String, ResourceRequirements> getPreviousResources() {
        return previousResources;
    }

    public void setPreviousResources(java.util.Map<String, ResourceRequirements> previousResources) {
        this.previousResources = previousResources;
    }

    public java.util.Map<String, ResourceRequirements> getTargetResources() {
        return targetResources;
    }

    public void setTargetResources(java.util.Map<String, ResourceRequirements> targetResources) {
        this.targetResources = targetResources;
    }

    public ReconfigureProgress getReconfigure() {
        return reconfigure;
    }

    public void setReconfigure(ReconfigureProgress reconfigure) {
        this.reconfigure = reconfigure;
    }

    public TlsRotationProgress getTlsRotation() {
        return tlsRotation;
    }

    public void setTlsRotation(TlsRotationProgress tlsRotation) {
        this.tlsRotation = tlsRotation;
    }

    public Integer getRotateAuthState() {
        return rotateAuthState;
    }

    public void setRotateAuthState(Integer rotateAuthState) {
        this.rotateAuthState = rotateAuthState;
    }
}
