package dev.proxysql.operator.catalog;

import java.util.List;

/**
 * A version constraint such as {@code >= 2.6.3-debian, <= 2.7.3-debian}, with the syntax and
 * meaning of github.com/Masterminds/semver/v3 {@code NewConstraint} / {@code Constraints.Check},
 * which KubeDB uses for {@code spec.updateConstraints} of its catalog versions.
 *
 * <p>Syntax: {@code ||} separates alternatives (OR); inside one, comparisons separated by a comma
 * or whitespace must all hold (AND). Operators: {@code =} (or none), {@code !=}, {@code >},
 * {@code <}, {@code >=} ({@code =>}), {@code <=} ({@code =<}), {@code ~} ({@code ~>}), {@code ^}.
 * Version parts may be {@code x}, {@code X} or {@code *} or left out ({@code 2.7.x}, {@code 2.7},
 * {@code *}); {@code A - B} means {@code >= A, <= B}.
 *
 * <p>Prerelease rule (checked against Masterminds/semver constraints.go; see
 * {@link PrereleaseMatching}): a version with a prerelease, such as every {@code -debian} ProxySQL
 * version, never satisfies an alternative whose comparisons all lack a prerelease. With the
 * default ({@link PrereleaseMatching#PER_AND_GROUP}, Masterminds v3.4.0+) one comparison with a
 * prerelease in an alternative lets prerelease versions be compared by plain SemVer precedence in
 * the whole alternative; with {@link PrereleaseMatching#PER_COMPARISON} (v3.0–v3.3) each comparison
 * must name a prerelease itself. Consequence for catalog authors: {@code < 2.7} in a denylist does
 * not deny {@code 2.6.3-debian}; write {@code < 2.7.0-0} instead.
 *
 * <p>Instances are immutable; equality is by the constraint text.
 */
public final class VersionConstraint {

    private final String text;
    private final List<List<Comparison>> alternatives;

    private VersionConstraint(String text, List<List<Comparison>> alternatives) {
        this.text = text;
        this.alternatives = alternatives;
    }

    /**
     * Parses a constraint.
     *
     * @throws InvalidConstraintException quoting {@code text} and naming the bad part; an empty or
     *                                    blank constraint is rejected, as by Masterminds
     */
    public static VersionConstraint parse(String text) {
        return new VersionConstraint(text, ConstraintParser.parse(text));
    }

    /** Whether {@code version} satisfies this constraint, with the Masterminds v3.4.0+ prerelease rule. */
    public boolean isSatisfiedBy(SemanticVersion version) {
        return isSatisfiedBy(version, PrereleaseMatching.PER_AND_GROUP);
    }

    /** Whether {@code version} satisfies this constraint, with the given prerelease rule. */
    public boolean isSatisfiedBy(SemanticVersion version, PrereleaseMatching prereleaseMatching) {
        return alternatives.stream().anyMatch(group -> groupIsSatisfied(group, version, prereleaseMatching));
    }

    /**
     * Whether any prerelease version could satisfy this constraint at all; false means a prerelease
     * is rejected for that reason alone, which is worth telling a user.
     */
    public boolean admitsPrereleases(PrereleaseMatching prereleaseMatching) {
        return alternatives.stream().anyMatch(group -> prereleaseMatching == PrereleaseMatching.PER_AND_GROUP
                ? group.stream().anyMatch(Comparison::boundIsPrerelease)
                : group.stream().allMatch(Comparison::boundIsPrerelease));
    }

    private static boolean groupIsSatisfied(
            List<Comparison> group, SemanticVersion version, PrereleaseMatching prereleaseMatching) {
        if (version.isPrerelease()
                && prereleaseMatching == PrereleaseMatching.PER_AND_GROUP
                && group.stream().noneMatch(Comparison::boundIsPrerelease)) {
            return false;
        }
        return group.stream().allMatch(comparison -> {
            if (version.isPrerelease()
                    && prereleaseMatching == PrereleaseMatching.PER_COMPARISON
                    && !comparison.boundIsPrerelease()) {
                return false;
            }
            return comparison.matches(version);
        });
    }

    /** The constraint exactly as written. */
    public String text() {
        return text;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof VersionConstraint that && text.equals(that.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
