package dev.proxysql.operator.api.ops.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * One pod's replacement, as persisted in {@code status.progress.pods}. {@code evictedUid} is written before the
 * eviction is requested: after a crash, a pod that still has that UID was not replaced yet (evict it), and a pod
 * with another UID is the replacement (only wait for it). That is what makes each pod be replaced exactly once.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PodProgress {
    /** Characters of {@link #getCheck()}. */
    public static final int MAX_CHECK = 1024;
    @Required
    private String name;
    /** Pending, Evicting, Verifying, Done (see {@code PodState}). */
    @Required
    private String state;
    /** UID of the pod that was (or is being) evicted. */
    private String evictedUid;
    /** When the current attempt on this pod started (RFC 3339); bounds it by spec.timeout. */
    private String startedAt;
    /** Attempts made on this pod beyond the first (bounded by spec.maxRetries). */
    private Integer retries;
    /** Why the pod is (was) replaced, for people reading the status. */
    private String reason;
    /**
     * The result of the pod's last check once it passed or failed, as its {@code CheckPodReady--<pod>} condition said
     * it: the record of every pod, where the request keeps only the most recent per-pod conditions. Cut to
     * {@link #MAX_CHECK} characters.
     */
    @Size(max = MAX_CHECK)
    private String check;

    public PodProgress() {
    }

    public PodProgress(String name, String state) {
        this.name = name;
        this.state = state;
    }

    public String getName() {
        return name;
    }


    public void setName(String name) {
        this.name = name;
    }

    public String getState() {
        return state;
    }


    public void setState(String state) {
        this.state = state;
    }

    public String getEvictedUid() {
        return evictedUid;
    }


    public void setEvictedUid(String evictedUid) {
        this.evictedUid = evictedUid;
    }

    public String getStartedAt() {
        return startedAt;
    }


    public void setStartedAt(String startedAt) {
        this.startedAt = startedAt;
    }

    public Integer getRetries() {
        return retries;
    }


    public void setRetries(Integer retries) {
        this.retries = retries;
    }

    public String getCheck() {
        return check;
    }

    public void setCheck(String check) {
        this.check = check;
    }

    public String getReason() {
        return reason;
    }


    public void setReason(String reason) {
        this.reason = reason;
    }
}
