package dev.proxysql.operator.catalog;

/**
 * One operator and version out of a constraint, e.g. {@code >= 2.6.3-debian}, evaluated with the
 * rules of Masterminds semver v3 (constraints.go, v3.4.0). The prerelease rule is not applied here:
 * whether a prerelease version may be compared at all is decided by {@link VersionConstraint}.
 *
 * @param operator the operator
 * @param bound    the constraint's version with wildcards and missing parts replaced by 0
 *                 ({@code 2.x} becomes 2.0.0, {@code *-0} becomes 0.0.0-0)
 * @param wildcard the first part of the written version that was a wildcard or missing
 * @param text     the comparison as written, for messages
 */
record Comparison(ComparisonOperator operator, SemanticVersion bound, Wildcard wildcard, String text) {

    boolean matches(SemanticVersion version) {
        return switch (operator) {
            case EQUAL_OR_TILDE -> wildcard == Wildcard.NONE ? sameVersion(version) : tildeMatches(version);
            case NOT_EQUAL -> notEqualMatches(version);
            case GREATER -> greaterMatches(version);
            // Masterminds compares < and >= by plain precedence, ignoring wildcards: "< 1.x" is "< 1.0.0".
            case LESS -> version.compareTo(bound) < 0;
            case GREATER_OR_EQUAL -> version.compareTo(bound) >= 0;
            case LESS_OR_EQUAL -> lessOrEqualMatches(version);
            case TILDE -> tildeMatches(version);
            case CARET -> caretMatches(version);
        };
    }

    /** Whether the constraint's own version names a prerelease; see {@link PrereleaseMatching}. */
    boolean boundIsPrerelease() {
        return bound.isPrerelease();
    }

    private boolean sameVersion(SemanticVersion version) {
        return version.compareTo(bound) == 0;
    }

    private boolean notEqualMatches(SemanticVersion version) {
        if (wildcard != Wildcard.NONE) {
            // "!= 4.x" excludes every 4.*.*, "!= 4.1" every 4.1.* that has the same prerelease.
            if (version.major() != bound.major()) {
                return true;
            }
            if (wildcard == Wildcard.MINOR) {
                return false;
            }
            if (version.minor() != bound.minor()) {
                return true;
            }
            if (wildcard == Wildcard.PATCH) {
                return !version.prerelease().equals(bound.prerelease());
            }
            if (version.patch() != bound.patch()) {
                return true;
            }
            // Wildcard.MAJOR ("!= *") with the same numbers as 0.0.0 falls through to equality.
        }
        return !sameVersion(version);
    }

    private boolean greaterMatches(SemanticVersion version) {
        if (wildcard == Wildcard.NONE || wildcard == Wildcard.MAJOR) {
            return version.compareTo(bound) > 0;
        }
        if (version.major() != bound.major()) {
            return version.major() > bound.major();
        }
        // "> 11" needs 12 or higher; "> 11.1" needs 11.2 or higher.
        return wildcard == Wildcard.PATCH && version.minor() > bound.minor();
    }

    private boolean lessOrEqualMatches(SemanticVersion version) {
        if (wildcard == Wildcard.NONE) {
            return version.compareTo(bound) <= 0;
        }
        // "<= 1.1" accepts any 1.1.*, "<= 2.x" any 2.*.*. Quirk kept from Masterminds: "<= *" is
        // treated like "<= 0.0" (its bound is 0.0.0 and it is neither minor- nor patch-open).
        if (version.major() > bound.major()) {
            return false;
        }
        return !(version.major() == bound.major() && version.minor() > bound.minor() && wildcard != Wildcard.MINOR);
    }

    private boolean tildeMatches(SemanticVersion version) {
        if (version.compareTo(bound) < 0) {
            return false;
        }
        // "~0.0.0" and "~*" accept everything from 0.0.0 up.
        boolean boundIsZero = bound.major() == 0 && bound.minor() == 0 && bound.patch() == 0;
        if (boundIsZero && (wildcard == Wildcard.NONE || wildcard == Wildcard.MAJOR)) {
            return true;
        }
        if (version.major() != bound.major()) {
            return false;
        }
        return wildcard == Wildcard.MINOR || version.minor() == bound.minor();
    }

    private boolean caretMatches(SemanticVersion version) {
        if (version.compareTo(bound) < 0) {
            return false;
        }
        if (bound.major() > 0 || wildcard == Wildcard.MINOR) {
            return version.major() == bound.major();
        }
        // Below 1.0.0 the caret pins the minor (^0.2.3) or, below 0.1.0, the patch (^0.0.3).
        // Quirk kept from Masterminds: "^*" gets bound 0.0.0 and so accepts only 0.0.0.
        if (version.major() > 0) {
            return false;
        }
        if (bound.minor() > 0 || wildcard == Wildcard.PATCH) {
            return version.minor() == bound.minor();
        }
        if (version.minor() > 0) {
            return false;
        }
        return version.patch() == bound.patch();
    }

    @Override
    public String toString() {
        return text;
    }
}
