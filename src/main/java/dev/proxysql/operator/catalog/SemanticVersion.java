package dev.proxysql.operator.catalog;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A semantic version as KubeDB reads a catalog {@code spec.version}: parsed the way
 * {@code semver.NewVersion} of github.com/Masterminds/semver/v3 (v3.4.0 with its default
 * {@code CoerceNewVersion = true}) does,
 * ordered by SemVer 2.0.0 precedence.
 *
 * <p>Parsing is lenient in exactly the ways Masterminds' {@code NewVersion} is, because catalog
 * entries are written for that parser: a leading {@code v} is accepted ({@code v2.0.4}), missing
 * minor/patch numbers default to 0 ({@code 2.7} is 2.7.0), and leading zeros in the numbers are
 * accepted ({@code 01.2.3} is 1.2.3). Prerelease identifiers must still follow SemVer: ASCII
 * alphanumerics and hyphen, non-empty, and numeric ones without leading zeros.
 *
 * <p>Precedence (SemVer 2.0.0 §11): major, minor and patch compare numerically; a version with a
 * prerelease is lower than the same version without one; prereleases compare identifier by
 * identifier, numeric identifiers numerically, alphanumeric ones lexically in ASCII order, numeric
 * below alphanumeric, and a shorter list of otherwise equal identifiers is lower. Build metadata is
 * ignored, so {@link #compareTo} can return 0 for two versions that are not {@link #equals}.
 *
 * <p>Known deviations from Masterminds: numbers above {@link Long#MAX_VALUE} are rejected (Go
 * accepts up to 2^64-1), and an all-digit prerelease identifier too large for uint64 is compared
 * numerically here, where Masterminds falls back to comparing it as text.
 *
 * @param major         major version number, never negative
 * @param minor         minor version number, never negative
 * @param patch         patch version number, never negative
 * @param prerelease    dot-separated prerelease identifiers without the leading '-', or "" for none
 * @param buildMetadata build metadata without the leading '+', or "" for none
 */
public record SemanticVersion(long major, long minor, long patch, String prerelease, String buildMetadata)
        implements Comparable<SemanticVersion> {

    private static final String IDENTIFIERS = "[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*";

    // The grammar of Masterminds' loose version regex, which NewVersion uses when coercing.
    private static final Pattern LENIENT_VERSION = Pattern.compile(
            "v?([0-9]+)(?:\\.([0-9]+))?(?:\\.([0-9]+))?(?:-(" + IDENTIFIERS + "))?(?:\\+(" + IDENTIFIERS + "))?");

    private static final Pattern DIGITS = Pattern.compile("[0-9]+");

    public SemanticVersion {
        if (major < 0 || minor < 0 || patch < 0) {
            throw new IllegalArgumentException("version numbers must not be negative");
        }
        Objects.requireNonNull(prerelease, "prerelease");
        Objects.requireNonNull(buildMetadata, "buildMetadata");
    }

    /**
     * Parses a version the way Masterminds' {@code NewVersion} does (see the class comment).
     *
     * @throws InvalidVersionException quoting {@code text} if it is not a version
     */
    public static SemanticVersion parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new InvalidVersionException(text == null ? "null" : text, "the version is empty");
        }
        Matcher m = LENIENT_VERSION.matcher(text);
        if (!m.matches()) {
            throw new InvalidVersionException(text,
                    "expected [v]MAJOR[.MINOR[.PATCH]][-PRERELEASE][+BUILD] with numeric MAJOR, MINOR and PATCH");
        }
        String prerelease = m.group(4) == null ? "" : m.group(4);
        for (String identifier : prerelease.isEmpty() ? new String[0] : prerelease.split("\\.")) {
            if (isNumeric(identifier) && identifier.length() > 1 && identifier.charAt(0) == '0') {
                throw new InvalidVersionException(text,
                        "numeric prerelease identifier '" + identifier + "' must not have a leading zero");
            }
        }
        return new SemanticVersion(
                number(text, m.group(1)),
                number(text, m.group(2)),
                number(text, m.group(3)),
                prerelease,
                m.group(5) == null ? "" : m.group(5));
    }

    private static long number(String text, String digits) {
        if (digits == null) {
            return 0; // "2.7" means 2.7.0, as in Masterminds' coercion
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException tooLarge) {
            throw new InvalidVersionException(text, "version number '" + digits + "' is too large");
        }
    }

    /** True if this version has a prerelease part, e.g. {@code 2.6.3-debian}. */
    public boolean isPrerelease() {
        return !prerelease.isEmpty();
    }

    /** The prerelease split at dots; empty if there is no prerelease. */
    public List<String> prereleaseIdentifiers() {
        return prerelease.isEmpty() ? List.of() : Arrays.asList(prerelease.split("\\."));
    }

    /** Compares by SemVer 2.0.0 precedence; build metadata is ignored. */
    @Override
    public int compareTo(SemanticVersion other) {
        int byNumbers = compareNumbers(other);
        if (byNumbers != 0) {
            return byNumbers;
        }
        // A release ranks above any of its prereleases (2.6.3 > 2.6.3-debian).
        if (!isPrerelease() || !other.isPrerelease()) {
            return Boolean.compare(!isPrerelease(), !other.isPrerelease());
        }
        return comparePrereleases(prereleaseIdentifiers(), other.prereleaseIdentifiers());
    }

    /** Compares only major, minor and patch. */
    int compareNumbers(SemanticVersion other) {
        int result = Long.compare(major, other.major);
        if (result == 0) {
            result = Long.compare(minor, other.minor);
        }
        if (result == 0) {
            result = Long.compare(patch, other.patch);
        }
        return result;
    }

    private static int comparePrereleases(List<String> mine, List<String> theirs) {
        for (int i = 0; i < Math.min(mine.size(), theirs.size()); i++) {
            int result = compareIdentifiers(mine.get(i), theirs.get(i));
            if (result != 0) {
                return result;
            }
        }
        // All shared identifiers are equal: the one with fewer identifiers ranks lower.
        return Integer.compare(mine.size(), theirs.size());
    }

    private static int compareIdentifiers(String mine, String theirs) {
        boolean mineNumeric = isNumeric(mine);
        boolean theirsNumeric = isNumeric(theirs);
        if (mineNumeric && theirsNumeric) {
            // Numeric identifiers have no leading zeros (checked when parsing), so the longer one is
            // larger and equal lengths compare like numbers; this works for any length.
            int byLength = Integer.compare(mine.length(), theirs.length());
            return byLength != 0 ? byLength : Integer.signum(mine.compareTo(theirs));
        }
        if (mineNumeric != theirsNumeric) {
            return mineNumeric ? -1 : 1;
        }
        // Identifiers are ASCII, so String order is ASCII order ("centos" < "debian", "Z" < "a").
        return Integer.signum(mine.compareTo(theirs));
    }

    private static boolean isNumeric(String identifier) {
        return DIGITS.matcher(identifier).matches();
    }

    /** Canonical form without a leading 'v', e.g. {@code 2.7.0} for the input {@code v2.7}. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder().append(major).append('.').append(minor).append('.').append(patch);
        if (isPrerelease()) {
            text.append('-').append(prerelease);
        }
        if (!buildMetadata.isEmpty()) {
            text.append('+').append(buildMetadata);
        }
        return text.toString();
    }
}
