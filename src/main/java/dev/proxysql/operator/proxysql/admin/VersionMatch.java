package dev.proxysql.operator.proxysql.admin;

import java.util.Objects;
import java.util.Optional;

/**
 * Whether a running ProxySQL is the release a ProxySQLVersion names: the check the ops manager makes
 * after replacing a pod during an update.
 *
 * <p>Only MAJOR.MINOR.PATCH is compared. A catalog {@code spec.version} such as {@code 2.7.3-debian}
 * carries the image's distribution, which ProxySQL does not know about; ProxySQL's own answer such as
 * {@code 2.7.3-0-g1a2b3c4} carries build details the catalog does not know about.
 *
 * @param matches  true only if both versions could be read and name the same release
 * @param expected the ProxySQLVersion {@code spec.version} as given
 * @param reported what the admin interface reported, as reported
 * @param message  one sentence for a status condition
 */
public record VersionMatch(boolean matches, String expected, String reported, String message) {

    public VersionMatch {
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(reported, "reported");
        Objects.requireNonNull(message, "message");
    }

    /**
     * Compares a ProxySQLVersion {@code spec.version} with a reported version.
     *
     * @param specVersion e.g. {@code 2.7.3-debian} or {@code 2.0.4}
     * @param running     what {@link ProxySQLAdminClient#runningVersion()} returned
     */
    public static VersionMatch of(String specVersion, RunningVersion running) {
        Objects.requireNonNull(specVersion, "specVersion");
        Objects.requireNonNull(running, "running");
        // The catalog's spec.version has the same leading MAJOR.MINOR.PATCH shape, so one parser serves both.
        Optional<RunningVersion> expected = RunningVersion.parse(specVersion);
        if (expected.isEmpty()) {
            return new VersionMatch(false, specVersion, running.raw(),
                    "cannot compare: ProxySQLVersion spec.version '" + specVersion + "' does not start with MAJOR.MINOR.PATCH");
        }
        if (expected.get().sameRelease(running)) {
            return new VersionMatch(true, specVersion, running.raw(),
                    "ProxySQL reports " + running.raw() + ", which is release " + running.release()
                            + " as required by " + specVersion);
        }
        return new VersionMatch(false, specVersion, running.raw(),
                "ProxySQL reports " + running.raw() + " (release " + running.release() + "), but " + specVersion
                        + " requires release " + expected.get().release());
    }

    /** Same as {@link #of(String, RunningVersion)} for a reported text that may not be a version at all. */
    public static VersionMatch of(String specVersion, String reportedVersion) {
        Objects.requireNonNull(reportedVersion, "reportedVersion");
        return RunningVersion.parse(reportedVersion)
                .map(running -> of(specVersion, running))
                .orElseGet(() -> new VersionMatch(false, specVersion, reportedVersion,
                        "cannot compare: ProxySQL reported '" + reportedVersion + "', which does not start with MAJOR.MINOR.PATCH"));
    }
}
