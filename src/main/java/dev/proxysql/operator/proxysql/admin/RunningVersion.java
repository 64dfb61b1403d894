package dev.proxysql.operator.proxysql.admin;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The version a running ProxySQL reports for {@code SELECT @@version} on its admin port.
 *
 * <p>ProxySQL answers with its build's {@code PROXYSQL_VERSION}, which comes from
 * {@code git describe --long --abbrev=7}: e.g. {@code 2.4.1-12-g3afcc12} (release, commits since the tag,
 * commit id), sometimes with more hex digits ({@code 2.0.12-38-g58a909a0}), and distribution builds carry
 * their own suffixes ({@code 2.0.12-percona-1.1}; {@code -Enterprise} with the LDAP plugin). Only the
 * leading MAJOR.MINOR.PATCH is stable across these, so that is what version checks compare.
 *
 * @param raw    the text exactly as reported
 * @param major  major version number
 * @param minor  minor version number
 * @param patch  patch version number
 */
public record RunningVersion(String raw, long major, long minor, long patch) {

    // A leading "v" is tolerated in case a build is described from a "v2.6.3"-style tag. The
    // lookahead stops "2.7.30" from reading as 2.7.3 and requires the numbers to end the text or be
    // followed by a suffix separator.
    private static final Pattern LEADING_RELEASE = Pattern.compile("^v?(\\d{1,9})\\.(\\d{1,9})\\.(\\d{1,9})(?=$|[-+_ .~])");

    public RunningVersion {
        Objects.requireNonNull(raw, "raw");
        if (major < 0 || minor < 0 || patch < 0) {
            throw new IllegalArgumentException("version numbers must not be negative");
        }
    }

    /**
     * Reads MAJOR.MINOR.PATCH from the start of {@code text} (surrounding whitespace ignored); empty if
     * the text does not start with one.
     */
    public static Optional<RunningVersion> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = LEADING_RELEASE.matcher(text.strip());
        if (!m.find()) {
            return Optional.empty();
        }
        return Optional.of(new RunningVersion(text,
                Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))));
    }

    /** MAJOR.MINOR.PATCH without any suffix, e.g. {@code 2.6.3} for {@code 2.6.3-8-g1234abc}. */
    public String release() {
        return major + "." + minor + "." + patch;
    }

    /** True if both name the same MAJOR.MINOR.PATCH, whatever their suffixes. */
    public boolean sameRelease(RunningVersion other) {
        return major == other.major && minor == other.minor && patch == other.patch;
    }

    @Override
    public String toString() {
        return raw;
    }
}
