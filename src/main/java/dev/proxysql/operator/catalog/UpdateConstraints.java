package dev.proxysql.operator.catalog;

import java.util.List;

/**
 * The {@code spec.updateConstraints} of a catalog version (ProxySQLVersion): Masterminds semver v3
 * constraint strings that decide which versions a database on this version may be updated to.
 *
 * <p>The rule is KubeDB's {@code IsUpgradable} (kubedb/apimachinery): a target is allowed iff its
 * {@code spec.version} satisfies at least one allowlist constraint (an empty allowlist allows every
 * version) and satisfies no denylist constraint. Each constraint string is checked on its own, so
 * the allowlist entries are OR-ed and the denylist entries are OR-ed. The current version's own
 * constraints decide; the target's constraints play no part.
 *
 * @param allowlist constraints of which the target must satisfy one; empty means no restriction
 * @param denylist  constraints of which the target must satisfy none
 */
public record UpdateConstraints(List<String> allowlist, List<String> denylist) {

    /** Missing lists (null, as in a CR without them) are treated as empty. */
    public UpdateConstraints {
        allowlist = allowlist == null ? List.of() : List.copyOf(allowlist);
        denylist = denylist == null ? List.of() : List.copyOf(denylist);
    }

    /** No constraints: every version is allowed. */
    public static UpdateConstraints none() {
        return new UpdateConstraints(List.of(), List.of());
    }

    /**
     * Decides whether a database on catalog version {@code currentName} (whose constraints these
     * are) may be updated to a catalog version whose {@code spec.version} is {@code targetVersion},
     * using the Masterminds v3.4.0+ prerelease rule.
     *
     * @throws InvalidConstraintException if one of the constraints is malformed; the message names
     *                                    the list, the index and {@code currentName}
     * @throws InvalidVersionException    if {@code targetVersion} is not a version
     */
    public UpgradeDecision evaluate(String currentName, String targetVersion) {
        return evaluate(currentName, targetVersion, PrereleaseMatching.PER_AND_GROUP);
    }

    /** As {@link #evaluate(String, String)}, with the given prerelease rule. */
    public UpgradeDecision evaluate(String currentName, String targetVersion, PrereleaseMatching prereleaseMatching) {
        return UpgradeRule.compile(currentName, this, prereleaseMatching).evaluate(targetVersion);
    }
}
