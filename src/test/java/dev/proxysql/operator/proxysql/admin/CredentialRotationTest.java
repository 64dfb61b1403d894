package dev.proxysql.operator.proxysql.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CredentialRotationTest {
    private static final AdminCredentials OLD = new AdminCredentials("cluster", "OldPw1");
    private static final AdminCredentials NEW = new AdminCredentials("cluster", "NewPw2");
    private final CredentialRotation rotation = new CredentialRotation("admin:admin", OLD, NEW);

    @Test
    void startsOnTheOldPairAndEndsOnTheNewOneOnly() {
        assertThat(rotation.variables(0)).isEqualTo(Map.of(CredentialRotation.ADMIN_CREDENTIALS, "admin:admin;cluster:OldPw1",
                CredentialRotation.CLUSTER_USERNAME, "cluster", CredentialRotation.CLUSTER_PASSWORD, "OldPw1"));
        assertThat(rotation.variables(5)).isEqualTo(Map.of(CredentialRotation.ADMIN_CREDENTIALS, "admin:admin;cluster:NewPw2",
                CredentialRotation.CLUSTER_USERNAME, "cluster", CredentialRotation.CLUSTER_PASSWORD, "NewPw2"));
        assertThat(rotation.accepts(5, OLD)).isFalse();
        assertThat(rotation.accepts(0, NEW)).isFalse();
    }

    /** The property the whole plan rests on: nodes one state apart accept each other's cluster login. */
    @Test
    void neighbouringStatesAcceptEachOthersClusterLoginAndTheOperatorsPair() {
        for (int s = CredentialRotation.FIRST; s < CredentialRotation.LAST; s++) {
            for (int[] pair : new int[][] {{s, s + 1}, {s + 1, s}}) {
                AdminCredentials clusterLogin = clusterLogin(pair[0]);
                assertThat(rotation.accepts(pair[1], clusterLogin)).as("state %d accepts the cluster login of state %d", pair[1], pair[0]).isTrue();
                AdminCredentials operator = rotation.login(pair[0], pair[1]);
                assertThat(rotation.accepts(pair[0], operator) && rotation.accepts(pair[1], operator))
                        .as("the operator's pair for states %d and %d", pair[0], pair[1]).isTrue();
            }
        }
    }

    /** Why the bridge is needed: jumping straight from the old pair to the new one locks the nodes out of each other. */
    @Test
    void theFirstAndLastStatesRefuseEachOther() {
        assertThat(rotation.accepts(0, clusterLogin(5))).isFalse();
        assertThat(rotation.accepts(5, clusterLogin(0))).isFalse();
    }

    @Test
    void recognisesEachStateFromANodesVariables() {
        for (int s = CredentialRotation.FIRST; s <= CredentialRotation.LAST; s++) {
            assertThat(rotation.stateOf(rotation.variables(s))).isEqualTo(s);
        }
        assertThat(rotation.stateOf(Map.of(CredentialRotation.ADMIN_CREDENTIALS, "admin:admin;cluster:other"))).isEqualTo(-1);
    }

    private AdminCredentials clusterLogin(int state) {
        Map<String, String> v = rotation.variables(state);
        return new AdminCredentials(v.get(CredentialRotation.CLUSTER_USERNAME), v.get(CredentialRotation.CLUSTER_PASSWORD));
    }
}
