package dev.proxysql.operator.api.ops.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Reconfigure's progress, persisted before the first pod is written: what the changed rows and variables were
 * before (read from the first pod, so a rollback can put them back) and how far each pod got. Passwords are never
 * recorded: a user the rollback must create again takes its password from the backend, as the request did.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ReconfigureProgress {
    /** Pod state: nothing written yet. */
    public static final String PENDING = "Pending";
    /** Pod state: the change is being written (it may be partly written); a rollback puts the previous values back. */
    public static final String APPLYING = "Applying";
    /** Pod state: written, loaded to runtime, saved to disk and checked. */
    public static final String DONE = "Done";
    /** Pod state: the previous values were put back and checked. */
    public static final String ROLLED_BACK = "RolledBack";

    /** Username to its mysql_users row before the change (without password); an empty row: the user did not exist. */
    private Map<String, Map<String, String>> previousUsers = new LinkedHashMap<>();
    /** rule_id to its mysql_query_rules row before the change (NULL columns left out); empty: the rule did not exist. */
    private Map<String, Map<String, String>> previousRules = new LinkedHashMap<>();
    /**
     * Full variable name (mysql-..., admin-...) to its value before the change; a credential variable
     * (admin-stats_credentials) shows {@code <redacted>}: its value is kept in the Secret {@code <request>-previous}.
     */
    private Map<String, String> previousVariables = new LinkedHashMap<>();
    /** Pod name to its state (Pending, Applying, Done, RolledBack). */
    private Map<String, String> pods = new LinkedHashMap<>();
    /** Since when the pod being written has been tried (RFC 3339); bounds it by spec.timeout. */
    private String podStartedAt;

    public Map<String, Map<String, String>> getPreviousUsers() {
        return previousUsers;
    }

    public void setPreviousUsers(Map<String, Map<String, String>> previousUsers) {
        this.previousUsers = previousUsers;
    }

    public Map<String, Map<String, String>> getPreviousRules() {
        return previousRules;
    }

    public void setPreviousRules(Map<String, Map<String, String>> previousRules) {
        this.previousRules = previousRules;
    }

    public Map<String, String> getPreviousVariables() {
        return previousVariables;
    }

    public void setPreviousVariables(Map<String, String> previousVariables) {
        this.previousVariables = previousVariables;
    }

    public Map<String, String> getPods() {
        return pods;
    }

    public void setPods(Map<String, String> pods) {
        this.pods = pods;
    }

    public String getPodStartedAt() {
        return podStartedAt;
    }

    public void setPodStartedAt(String podStartedAt) {
        this.podStartedAt = podStartedAt;
    }
}
