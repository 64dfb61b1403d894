package dev.proxysql.operator.proxysql.admin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VersionMatchTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            // git describe --long output of official builds
            "2.6.3-8-g1234abc, 2.6.3",
            "2.4.1-12-g3afcc12, 2.4.1",
            "2.0.12-38-g58a909a0, 2.0.12",
            "2.7.3-0-g0a1b2c3, 2.7.3",
            "3.0.1-2-gdeadbee, 3.0.1",
            // distribution and plugin builds
            "2.0.12-percona-1.1, 2.0.12",
            "2.6.3-8-g1234abc-Enterprise, 2.6.3",
            // a bare release, a tag-style 'v', and MariaDB's answer in the integration tests
            "2.7.3, 2.7.3",
            "v2.6.3-8-g1234abc, 2.6.3",
            "10.11.19-MariaDB-0+deb12u1-log, 10.11.19",
    })
    void readsTheReleaseBeforeTheBuildSuffix(String reported, String release) {
        RunningVersion version = RunningVersion.parse(reported).orElseThrow();

        assertThat(version.release()).isEqualTo(release);
        assertThat(version.raw()).isEqualTo(reported);
    }

    @ParameterizedTest
    @CsvSource({"''", "Admin Module", "2.6", "2.6.x", "2.6.3debian", "x2.6.3"})
    void rejectsTextThatDoesNotStartWithMajorMinorPatch(String reported) {
        assertThat(RunningVersion.parse(reported)).isEmpty();
    }

    @Test
    void rejectsNull() {
        assertThat(RunningVersion.parse(null)).isEmpty();
    }

    @ParameterizedTest(name = "{0} vs {1}")
    @CsvSource({
            "2.7.3-debian, 2.7.3-0-g0a1b2c3",
            "2.6.3-debian, 2.6.3-8-g1234abc",
            "3.0.1-debian, 3.0.1-2-gdeadbee",
            "2.4.4-centos, 2.4.4-44-g3b13c7c",
            "2.0.4, 2.0.4-116-g7d371cf2",
    })
    void matchesTheSameReleaseWhateverTheSuffixes(String specVersion, String reported) {
        VersionMatch match = VersionMatch.of(specVersion, reported);

        assertThat(match.matches()).as(match.message()).isTrue();
        assertThat(match.expected()).isEqualTo(specVersion);
        assertThat(match.reported()).isEqualTo(reported);
    }

    @ParameterizedTest(name = "{0} vs {1}")
    @CsvSource({
            // the old pod is still running: the usual failure after an update
            "2.7.3-debian, 2.6.3-8-g1234abc",
            "3.0.1-debian, 2.7.3-0-g0a1b2c3",
            // digits must not be compared as prefixes
            "2.7.3-debian, 2.7.30-1-gabcdef0",
            "2.7.30-debian, 2.7.3-1-gabcdef0",
            "12.7.3, 2.7.3",
    })
    void doesNotMatchAnotherRelease(String specVersion, String reported) {
        VersionMatch match = VersionMatch.of(specVersion, reported);

        assertThat(match.matches()).isFalse();
        assertThat(match.message()).contains(reported).contains(specVersion);
    }

    @Test
    void sayWhichReleaseWasRequiredAndWhichRuns() {
        VersionMatch match = VersionMatch.of("2.7.3-debian", "2.6.3-8-g1234abc");

        assertThat(match.message())
                .isEqualTo("ProxySQL reports 2.6.3-8-g1234abc (release 2.6.3), but 2.7.3-debian requires release 2.7.3");
    }

    @Test
    void cannotMatchWhenTheSpecVersionIsNotAVersion() {
        VersionMatch match = VersionMatch.of("latest", RunningVersion.parse("2.7.3-0-g0a1b2c3").orElseThrow());

        assertThat(match.matches()).isFalse();
        assertThat(match.message()).startsWith("cannot compare").contains("'latest'");
    }

    @Test
    void cannotMatchWhenTheReportIsNotAVersion() {
        VersionMatch match = VersionMatch.of("2.7.3-debian", "Admin Module");

        assertThat(match.matches()).isFalse();
        assertThat(match.message()).startsWith("cannot compare").contains("'Admin Module'");
    }
}
