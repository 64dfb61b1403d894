package dev.proxysql.operator.api.ops.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.proxysql.operator.api.common.Condition;
import dev.proxysql.operator.api.common.TypedLocalObjectReference;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/** KubeDB's OpsRequestStatus. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class OpsRequestStatus {
    /** The most conditions the API accepts in {@code status.conditions}. */
    public static final int MAX_CONDITIONS = 64;
    private OpsRequestPhase phase;
    private Long observedGeneration;
    /** Bounded so that CEL rules over conditions stay within the API server's cost budget. */
    @Size(max = MAX_CONDITIONS)
    private List<Condition> conditions = new ArrayList<>();
    private List<TypedLocalObjectReference> pausedBackups;
    /** This operator's state machine (not in KubeDB's API; additive). */
    private OpsProgress progress;

    public OpsRequestPhase getPhase() {
        return phase;
    }


    public void setPhase(OpsRequestPhase phase) {
        this.phase = phase;
    }

    public Long getObservedGeneration() {
        return observedGeneration;
    }


    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public List<Condition> getConditions() {
        return conditions;
    }


    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    public List<TypedLocalObjectReference> getPausedBackups() {
        return pausedBackups;
    }


    public void setPausedBackups(List<TypedLocalObjectReference> pausedBackups) {
        this.pausedBackups = pausedBackups;
    }

    public OpsProgress getProgress() {
        return progress;
    }

    public void setProgress(OpsProgress progress) {
        this.progress = progress;
    }
}
