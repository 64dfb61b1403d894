package dev.proxysql.operator.opsmanager.reconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.Test;

class PreviousCredentialsTest {

    private static ProxySQLOpsRequest named(String name) {
        ProxySQLOpsRequest r = new ProxySQLOpsRequest();
        r.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ns").build());
        return r;
    }

    @Test
    void theSecretIsNamedAfterTheRequestAndFitsANameWhateverItsLength() {
        assertThat(PreviousCredentials.secretName(named("stats"))).isEqualTo("stats-previous");
        String longest = "r".repeat(253);
        assertThat(PreviousCredentials.secretName(named(longest))).hasSizeLessThanOrEqualTo(253).endsWith("-previous")
                .isNotEqualTo(PreviousCredentials.secretName(named("r".repeat(252) + "s")));
    }
}
