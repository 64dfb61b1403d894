package dev.proxysql.operator.opsmanager.reconfiguretls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A renewal is asked of cert-manager once: not again while its Issuing condition is True (CertManagerIssuanceIT). */
class TlsRotationIssuingTest {

    @Test
    void anIssuingConditionThatIsTrueMeansAlreadyAsked() {
        assertThat(TlsRotation.issuing(List.of(Map.of("type", "Ready", "status", "True"),
                Map.of("type", "Issuing", "status", "True")))).isTrue();
    }

    @Test
    void noIssuingConditionOrAFailedOneMeansAskAgain() {
        assertThat(TlsRotation.issuing(List.of(Map.of("type", "Ready", "status", "True")))).isFalse();
        assertThat(TlsRotation.issuing(List.of(Map.of("type", "Issuing", "status", "False", "reason", "Failed")))).isFalse();
        assertThat(TlsRotation.issuing(List.of())).isFalse();
    }
}
