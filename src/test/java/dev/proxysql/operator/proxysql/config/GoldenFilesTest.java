package dev.proxysql.operator.proxysql.config;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** The golden helper itself must fail on differences, or every golden test would be worthless. */
class GoldenFilesTest {

    @BeforeEach
    void notWhileUpdating() {
        // In update mode assertMatches would overwrite the real golden file with the deliberately wrong text.
        assumeFalse(Boolean.getBoolean("golden.update"), "skipped while golden files are being updated");
    }

    @Test
    void differentOutputFailsWithADiff() {
        String golden = GoldenFiles.read("single-replica-group-replication");
        String changed = golden.replace("threads=4", "threads=5");

        assertThatThrownBy(() -> GoldenFiles.assertMatches("single-replica-group-replication", changed))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("-")
                .hasMessageContaining("threads=4")
                .hasMessageContaining("threads=5");
    }

    @Test
    void missingTrailingNewlineIsADifference() {
        String golden = GoldenFiles.read("single-replica-group-replication");

        assertThatThrownBy(() -> GoldenFiles.assertMatches("single-replica-group-replication", golden.stripTrailing()))
                .isInstanceOf(AssertionError.class);
    }

    @Test
    void diffListsOnlyChangedLinesWithLineNumbers() {
        String diff = GoldenFiles.diff("a\nb\nc\n", "a\nB\nc\nd\n");

        assertThat(diff.lines()).containsExactly("-   2 | b", "+   2 | B", "+   4 | d");
    }
}
