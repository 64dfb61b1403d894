package dev.proxysql.operator.testing.mariadb;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MariaDbBinariesTest {

    @Test
    void aMissingBinaryFailsWithTheInstallHintInsteadOfSkipping() {
        assertThatThrownBy(() -> MariaDbBinaries.require("no-such-mariadb-binary"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("hack/mariadb/ensure-installed.sh");
    }
}
