package dev.proxysql.operator.opsmanager.rotateauth;

import dev.proxysql.operator.testing.OpsRequests;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.kubedb.v1.ProxySQLSpec;
import dev.proxysql.operator.api.kubedb.v1.SecretReference;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.proxysql.admin.AdminCredentials;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RotateAuthRequestTest {

    @Test
    void withoutSecretRefAPasswordIsGeneratedUnlessTheAuthSecretIsExternallyManaged() {
        assertThat(RotateAuthRequest.problem(request(null), proxysql(false), null, "Old")).isEmpty();
        assertThat(RotateAuthRequest.problem(request(null), proxysql(true), null, "Old"))
                .hasValueSatisfying(m -> assertThat(m).startsWith("spec.authentication.secretRef: required").contains("externallyManaged"));
    }

    @Test
    void refusesAMissingSecretAnotherUsernameAndABadPasswordNamingTheField() {
        assertThat(RotateAuthRequest.problem(request("new-auth"), proxysql(false), null, "Old"))
                .hasValue("spec.authentication.secretRef.name: Secret \"new-auth\" does not exist in namespace demo");
        assertThat(RotateAuthRequest.problem(request("new-auth"), proxysql(false), Map.of("username", "root", "password", "Abcdefgh1"), "Old"))
                .hasValueSatisfying(m -> assertThat(m).startsWith("spec.authentication.secretRef.name: Secret \"new-auth\": username must be \"cluster\""));
        for (String bad : new String[] {"short1", "has;semicolon1", "has:colon12", "*4ACFE3202A5FF5CF467898FC58AAB1D615029441", "spaces in it"}) {
            assertThat(RotateAuthRequest.problem(request("new-auth"), proxysql(false), Map.of("username", "cluster", "password", bad), "Old"))
                    .as(bad).hasValueSatisfying(m -> assertThat(m).contains("password must be 8 to 64 letters and digits"));
        }
        assertThat(RotateAuthRequest.problem(request("new-auth"), proxysql(false), Map.of("username", "cluster"), "Old"))
                .hasValueSatisfying(m -> assertThat(m).contains("must have the keys username and password"));
        assertThat(RotateAuthRequest.problem(request("new-auth"), proxysql(false), Map.of("username", "cluster", "password", "SamePass1"), "SamePass1"))
                .hasValueSatisfying(m -> assertThat(m).contains("nothing to rotate"));
        assertThat(RotateAuthRequest.problem(request("new-auth"), proxysql(true), Map.of("username", "cluster", "password", "NewPass123"), "Old")).isEmpty();
    }

    @Test
    void theSecretSaysWhichPairIsOldAndWhichNewFromTheFirstWriteOn() {
        AdminCredentials old = new AdminCredentials("cluster", "OldPass1");
        Map<String, String> data = new HashMap<>(Map.of("username", "cluster", "password", "OldPass1"));
        assertThat(AuthSecretRotation.inProgress(data)).isEmpty();
        data.putAll(AuthSecretRotation.begin(old, true, "GenPass99"));
        var pairs = AuthSecretRotation.inProgress(data).orElseThrow();
        assertThat(pairs.previous()).isEqualTo(old);
        assertThat(pairs.next()).isEqualTo(new AdminCredentials("cluster", "GenPass99"));
        Map<String, String> restored = new HashMap<>(data);
        AuthSecretRotation.restore(pairs, true).forEach((k, v) -> {
            if (v == null) {
                restored.remove(k);
            } else {
                restored.put(k, v);
            }
        });
        assertThat(restored).isEqualTo(Map.of("username", "cluster", "password", "OldPass1"));
    }

    private static ProxySQLOpsRequest request(String secretRef) {
        return OpsRequests.on("demo", null).named("rotate").rotateAuth(secretRef).build();
    }

    private static ProxySQL proxysql(boolean externallyManaged) {
        ProxySQL p = new ProxySQL();
        p.setMetadata(new ObjectMetaBuilder().withName("px").withNamespace("demo").build());
        p.setSpec(new ProxySQLSpec());
        if (externallyManaged) {
            SecretReference ref = new SecretReference();
            ref.setName("vault-auth");
            ref.setExternallyManaged(true);
            p.getSpec().setAuthSecret(ref);
        }
        return p;
    }
}
