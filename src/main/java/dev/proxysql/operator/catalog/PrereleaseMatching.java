package dev.proxysql.operator.catalog;

/**
 * When a prerelease version such as {@code 2.7.3-debian} may satisfy a constraint.
 *
 * <p>github.com/Masterminds/semver/v3, which KubeDB uses for {@code updateConstraints}, follows the
 * npm/Cargo convention that a range without a prerelease does not match prerelease versions. The
 * exact rule changed in v3.4.0 (2025-06-27, changelog entry #267); both variants are offered so a
 * difference in outcome can be explained. Versions without a prerelease are never affected.
 *
 * <p>Source checked: Masterminds/semver constraints.go. Up to v3.3.1 every comparison function
 * (for {@code >=}, {@code <=}, {@code ~}, ...) starts by returning false when the version has a
 * prerelease and the comparison's own version has none. From v3.4.0 {@code NewConstraint} records,
 * per {@code ||} alternative, whether any comparison's version has a prerelease, and
 * {@code Check} hands each comparison "prereleases allowed" = that flag or the new
 * {@code Constraints.IncludePrerelease} field (default false; KubeDB does not set it).
 *
 * <p>For the KubeDB ProxySQL catalog both variants agree: every comparison in every catalog
 * constraint names a {@code -centos}/{@code -debian} prerelease.
 */
public enum PrereleaseMatching {

    /**
     * Masterminds v3.4.0 and later ({@code Constraints.Check} with the default
     * {@code IncludePrerelease = false}): a prerelease version can only satisfy an AND group
     * (the part between {@code ||}) in which at least one comparison's version has a prerelease; in
     * such a group every comparison is then evaluated by plain precedence. So
     * {@code >= 2.6.3-debian, <= 3.0.1} accepts {@code 2.7.3-debian}, while {@code >= 2.6.3}
     * accepts no prerelease at all.
     *
     * <p>This is the default: KubeDB's current modules are built against v3.4.0 (for example
     * kubedb/db-client-go's go.mod requires {@code github.com/Masterminds/semver/v3 v3.4.0}, and Go
     * resolves the highest required version).
     */
    PER_AND_GROUP,

    /**
     * Masterminds v3.0.0 through v3.3.1: each comparison on its own rejects a prerelease version
     * unless that comparison's own version has a prerelease. So {@code >= 2.6.3-debian, <= 3.0.1}
     * rejects {@code 2.7.3-debian}, because {@code <= 3.0.1} names no prerelease.
     */
    PER_COMPARISON
}
