package dev.proxysql.operator.catalog;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** Lists the catalog versions a database may be updated to, for error messages and suggestions. */
public final class UpgradeTargets {

    private UpgradeTargets() {
    }

    /**
     * Names of the catalog entries that a database on {@code current} may be updated to: entries
     * other than {@code current} itself that are not deprecated and whose version passes
     * {@code current}'s update constraints (Masterminds v3.4.0+ prerelease rule). Sorted by version
     * precedence, then name.
     *
     * @throws InvalidConstraintException if {@code current}'s constraints are malformed
     * @throws InvalidVersionException    if a non-deprecated entry's version is malformed; KubeDB's
     *                                    IsUpgradable likewise fails as a whole on such an entry
     */
    public static List<String> allowedTargetNames(CatalogEntry current, Collection<CatalogEntry> catalog) {
        return allowedTargetNames(current, catalog, PrereleaseMatching.PER_AND_GROUP);
    }

    /** As {@link #allowedTargetNames(CatalogEntry, Collection)}, with the given prerelease rule. */
    public static List<String> allowedTargetNames(
            CatalogEntry current, Collection<CatalogEntry> catalog, PrereleaseMatching prereleaseMatching) {
        UpgradeRule rule = UpgradeRule.compile(current.name(), current.updateConstraints(), prereleaseMatching);
        return catalog.stream()
                .filter(entry -> !entry.deprecated() && !entry.name().equals(current.name()))
                .map(entry -> new Candidate(entry.name(), versionOf(entry)))
                .filter(candidate -> rule.evaluate(candidate.version().toString(), candidate.version()).allowed())
                .sorted(Comparator.comparing(Candidate::version).thenComparing(Candidate::name))
                .map(Candidate::name)
                .toList();
    }

    /** "allowed targets: a, b", or a sentence saying there are none; for appending to a denial. */
    public static String describe(List<String> targetNames) {
        return targetNames.isEmpty()
                ? "there are no allowed targets"
                : "allowed targets: " + String.join(", ", targetNames);
    }

    private static SemanticVersion versionOf(CatalogEntry entry) {
        try {
            return SemanticVersion.parse(entry.version());
        } catch (InvalidVersionException e) {
            throw e.withContext("spec.version of ProxySQLVersion " + entry.name());
        }
    }

    private record Candidate(String name, SemanticVersion version) {
    }
}
