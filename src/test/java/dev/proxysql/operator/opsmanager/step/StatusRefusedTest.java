package dev.proxysql.operator.opsmanager.step;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;

class StatusRefusedTest {
    @Test
    void keepsTheRefusalsCodeStatusAndCause() {
        KubernetesClientException refused = new KubernetesClientException("Too many: 65: must have at most 64 items", 422,
                new StatusBuilder().withCode(422).withMessage("status.conditions: Too many").build());
        StatusRefused e = new StatusRefused(refused);
        assertThat(e.getCode()).isEqualTo(StatusRefused.UNPROCESSABLE);
        assertThat(e.getStatus().getMessage()).isEqualTo("status.conditions: Too many");
        assertThat(e.getCause()).isSameAs(refused);
        assertThat(e).hasMessageContaining("Too many");
    }
}
