package dev.proxysql.operator.testing.proxysql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the real ProxySQL binaries are: built from the upstream sources by {@code hack/proxysql/build.sh} into the
 * project's cache ({@code $PROXYSQL_OPERATOR_CACHE}, default {@code ~/.cache/proxysql-operator}), one folder per
 * version. The versions are those of {@code hack/proxysql/versions.env}, so the tests follow the build script.
 *
 * <p>A missing binary fails the test with the command that builds it, rather than skipping: a skipped test of
 * ProxySQL-level behaviour would look green while proving nothing.
 */
public final class ProxySqlBuilds {

    private static final Path VERSIONS_ENV = Path.of("hack/proxysql/versions.env");

    private ProxySqlBuilds() {
    }

    /** Every version the build script builds, newest first as listed there (e.g. 2.7.1, 2.6.5). */
    public static List<String> versions() {
        Matcher m = Pattern.compile("(?m)^PROXYSQL_VERSIONS=\"([^\"]+)\"").matcher(read(VERSIONS_ENV));
        if (!m.find()) {
            throw new IllegalStateException(VERSIONS_ENV + " has no PROXYSQL_VERSIONS=\"...\" line");
        }
        return Arrays.stream(m.group(1).trim().split("\\s+")).toList();
    }

    /** The newest version (the first listed): what a test uses when the version does not matter. */
    public static String newest() {
        return versions().get(0);
    }

    /** The oldest version (the last listed): an upgrade goes from it to {@link #newest()}. */
    public static String oldest() {
        List<String> all = versions();
        return all.get(all.size() - 1);
    }

    /** What {@code proxysql --version} and the admin interface's {@code SELECT @@version} report, e.g. 2.7.1-0-g2726c27. */
    public static String reportedVersion(String version) {
        String key = "PROXYSQL_GIT_VERSION_" + version.replace('.', '_');
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(key) + "=(\\S+)").matcher(read(VERSIONS_ENV));
        if (!m.find()) {
            throw new IllegalStateException(VERSIONS_ENV + " has no " + key);
        }
        return m.group(1);
    }

    /** The {@code proxysql} binary of one version. */
    public static Path binary(String version) {
        Path binary = cache().resolve("proxysql-" + version).resolve("bin").resolve("proxysql");
        if (!Files.isExecutable(binary) || !Files.exists(binary.getParent().getParent().resolve(".complete"))) {
            throw new IllegalStateException("ProxySQL " + version + " is not built: expected " + binary
                    + ". Build it from ../shared/third_party/proxysql with: bash hack/proxysql/build.sh " + version
                    + " (make test does this on first use)");
        }
        return binary;
    }

    static Path cache() {
        String configured = Optional.ofNullable(System.getenv("PROXYSQL_OPERATOR_CACHE")).filter(s -> !s.isBlank())
                .orElse(System.getProperty("user.home") + "/.cache/proxysql-operator");
        return Path.of(configured);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file.toAbsolutePath() + " (tests run from the repository root)", e);
        }
    }
}
