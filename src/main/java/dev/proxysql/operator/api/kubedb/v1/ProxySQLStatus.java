package dev.proxysql.operator.api.kubedb.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.proxysql.operator.api.common.Condition;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/** Observed state of a ProxySQL (KubeDB's ProxySQLStatus). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProxySQLStatus {
    private DatabasePhase phase;
    private Long observedGeneration;
    /** Bounded so that CEL rules over conditions stay within the API server's cost budget. */
    @Size(max = 64)
    private List<Condition> conditions = new ArrayList<>();
    private AuthSecretStatus authSecret;

    /** When the auth Secret was last updated (KubeDB's Age). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class AuthSecretStatus {
        private String lastUpdateTimestamp;

        public String getLastUpdateTimestamp() {
            return lastUpdateTimestamp;
        }


        public void setLastUpdateTimestamp(String lastUpdateTimestamp) {
            this.lastUpdateTimestamp = lastUpdateTimestamp;
        }
    }

    public DatabasePhase getPhase() {
        return phase;
    }


    public void setPhase(DatabasePhase phase) {
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

    public AuthSecretStatus getAuthSecret() {
        return authSecret;
    }


    public void setAuthSecret(AuthSecretStatus authSecret) {
        this.authSecret = authSecret;
    }
}
