package dev.proxysql.operator.proxysql.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AdminResultTest {

    @Test
    void successCarriesItsValueAndMaps() {
        AdminResult<String> result = AdminResult.success("2.7.3-0-g0a1b2c3");

        assertThat(result.isSuccess()).isTrue();
        assertThat(result.value()).isEqualTo("2.7.3-0-g0a1b2c3");
        assertThat(result.map(String::length).value()).isEqualTo(16);
        assertThatThrownBy(result::failure).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void failureCarriesItsClassificationThroughMap() {
        AdminResult<String> result = AdminResult.failure(AdminFailureKind.TIMEOUT, "timed out connecting to x:6032");

        AdminResult<Integer> mapped = result.map(String::length);

        assertThat(mapped.isSuccess()).isFalse();
        assertThat(mapped.failure()).isEqualTo(new AdminFailure(AdminFailureKind.TIMEOUT, "timed out connecting to x:6032"));
        assertThatThrownBy(mapped::value).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("TIMEOUT: timed out connecting to x:6032");
    }
}
