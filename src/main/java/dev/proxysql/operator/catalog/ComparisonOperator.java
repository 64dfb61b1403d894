package dev.proxysql.operator.catalog;

import java.util.List;

/** The operators of a single comparison, with every spelling Masterminds semver v3 accepts. */
enum ComparisonOperator {
    /** {@code =} or no operator: equality, or a tilde range when the version has a wildcard. */
    EQUAL_OR_TILDE("=", ""),
    NOT_EQUAL("!="),
    GREATER(">"),
    LESS("<"),
    GREATER_OR_EQUAL(">=", "=>"),
    LESS_OR_EQUAL("<=", "=<"),
    /** {@code ~1.2.3}: same major and minor, at least the given version. */
    TILDE("~", "~>"),
    /** {@code ^1.2.3}: same major (same minor / patch below 1.0.0), at least the given version. */
    CARET("^");

    private final List<String> spellings;

    ComparisonOperator(String... spellings) {
        this.spellings = List.of(spellings);
    }

    static ComparisonOperator fromSpelling(String spelling) {
        for (ComparisonOperator operator : values()) {
            if (operator.spellings.contains(spelling)) {
                return operator;
            }
        }
        throw new IllegalArgumentException("unknown operator '" + spelling + "'");
    }
}
