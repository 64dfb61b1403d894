package dev.proxysql.operator.opsmanager.reconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxysql.operator.api.ops.v1alpha1.ReconfigurationSpec;
import dev.proxysql.operator.api.ops.v1alpha1.ReconfigureProgress;
import dev.proxysql.operator.proxysql.admin.ConfigChange;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReconfigurePlanTest {

    private static ReconfigureIntent intent(String yaml) {
        return ReconfigureIntent.of(Serialization.unmarshal(yaml, ReconfigurationSpec.class)).intent();
    }

    @Test
    void addWritesWholeRowsWithTheBackendsHashUpdateSetsTheGivenColumnsDeleteDeletes() {
        ConfigChange add = ReconfigurePlan.forward(intent("""
                mysqlUsers: {reqType: add, users: [{username: app, default_hostgroup: 2}]}
                mysqlQueryRules: {reqType: add, rules: [{rule_id: 7, active: 1}]}
                """), Map.of("app", "*HASH"));
        assertThat(add.putUsers().get("app")).containsEntry("password", "*HASH").containsEntry("default_hostgroup", "2");
        assertThat(add.putRules().get("7")).containsEntry("rule_id", "7").containsEntry("active", "1");

        ConfigChange update = ReconfigurePlan.forward(intent("""
                mysqlUsers: {reqType: update, users: [{username: app, max_connections: 5}]}
                mysqlQueryRules: {reqType: update, rules: [{rule_id: 7, comment: x}]}
                """), Map.of("app", "*HASH"));
        assertThat(update.setUsers().get("app")).containsOnly(Map.entry("max_connections", "5"), Map.entry("password", "*HASH"));
        assertThat(update.setRules().get("7")).containsOnly(Map.entry("comment", "x"));

        ConfigChange delete = ReconfigurePlan.forward(intent("""
                mysqlUsers: {reqType: delete, users: [{username: app}]}
                mysqlQueryRules: {reqType: delete, rules: [{rule_id: 7}]}
                """), Map.of());
        assertThat(delete.deleteUsers()).containsExactly("app");
        assertThat(delete.deleteRules()).containsExactly("7");
        assertThat(ReconfigurePlan.usersNeedingPasswords(intent("mysqlUsers: {reqType: delete, users: [{username: app}]}"))).isEmpty();
    }

    @Test
    void theRollbackDeletesWhatDidNotExistAndWritesBackWhatDid() {
        ReconfigureProgress before = new ReconfigureProgress();
        before.getPreviousUsers().put("new", Map.of());
        before.getPreviousUsers().put("old", Map.of("username", "old", "max_connections", "9"));
        before.getPreviousRules().put("1", Map.of());
        before.getPreviousRules().put("2", Map.of("rule_id", "2", "comment", "was"));
        before.getPreviousVariables().put("admin-refresh_interval", "2000");
        ConfigChange back = ReconfigurePlan.rollback(before, Map.of("old", "*OLD"), Map.of());
        assertThat(back.deleteUsers()).containsExactly("new");
        assertThat(back.putUsers().get("old")).containsEntry("password", "*OLD").containsEntry("max_connections", "9");
        assertThat(back.deleteRules()).containsExactly("1");
        assertThat(back.putRules().get("2")).containsEntry("comment", "was");
        assertThat(back.variables()).containsExactly(Map.entry("admin-refresh_interval", "2000"));
        assertThat(ReconfigurePlan.usersToRecreate(before)).containsExactly("old");
    }

    @Test
    void theDescriptionForEventsAndConditionsShowsNoCredentialsValue() {
        String line = ReconfigurePlan.describe(intent("""
                adminVariables: {stats_credentials: "stats:S3cretStats", refresh_interval: 2055}
                mysqlVariables: {max_connections: 77}
                """));
        assertThat(line).doesNotContain("S3cretStats").contains("admin-stats_credentials=<redacted>")
                .contains("admin-refresh_interval=2055").contains("mysql-max_connections=77");
    }

    @Test
    void theRollbackTakesACredentialsPreviousValueFromWhereItWasKeptNotFromTheStatus() {
        ReconfigureProgress before = new ReconfigureProgress();
        before.getPreviousVariables().put("admin-stats_credentials", "<redacted>");
        before.getPreviousVariables().put("admin-refresh_interval", "2000");
        ConfigChange back = ReconfigurePlan.rollback(before, Map.of(), Map.of("admin-stats_credentials", "stats:OldPw"));
        assertThat(back.variables()).containsExactly(Map.entry("admin-stats_credentials", "stats:OldPw"),
                Map.entry("admin-refresh_interval", "2000"));
        assertThatThrownBy(() -> ReconfigurePlan.rollback(before, Map.of(), Map.of()))
                .as("a lost value is not put back as <redacted>").hasMessageContaining("previous value of admin-stats_credentials is not kept");
    }

    @Test
    void podsGoInOrdinalOrderAndTheRollbackTakesTheLastChangedFirst() {
        ReconfigureProgress p = new ReconfigureProgress();
        Map<String, String> pods = new LinkedHashMap<>();
        // As the API server gives a map back: keys sorted as text.
        pods.put("px-0", ReconfigureProgress.DONE);
        pods.put("px-1", ReconfigureProgress.DONE);
        pods.put("px-10", ReconfigureProgress.PENDING);
        pods.put("px-2", ReconfigureProgress.APPLYING);
        p.setPods(pods);
        assertThat(ReconfigurePlan.nextToApply(p)).contains("px-2");
        assertThat(ReconfigurePlan.nextToRollBack(p)).contains("px-2");
        pods.put("px-2", ReconfigureProgress.ROLLED_BACK);
        assertThat(ReconfigurePlan.nextToRollBack(p)).contains("px-1");
        assertThat(ReconfigurePlan.rolledBack(p)).containsExactly("px-2");
    }

    @Test
    void theFailureSaysWhatBecameOfThePods() {
        assertThat(ReconfigurePlan.failureOutcome("step X", false, null)).isEqualTo("step X; nothing was changed; ProxySQL resumed");
        assertThat(ReconfigurePlan.failureOutcome("step X", true, null)).contains("rolled back: the pods already changed have their previous values again");
        assertThat(ReconfigurePlan.failureOutcome("step X", true, "pod px-0: down")).contains("rollback also failed: pod px-0: down");
    }
}
