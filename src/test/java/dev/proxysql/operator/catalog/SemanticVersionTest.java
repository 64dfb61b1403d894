package dev.proxysql.operator.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SemanticVersionTest {

    @ParameterizedTest(name = "{0} -> {1}.{2}.{3} pre=''{4}'' build=''{5}''")
    @CsvSource(delimiter = '|', textBlock = """
            2.6.3-debian          | 2 | 6 | 3 | debian     |
            v2.0.4                | 2 | 0 | 4 |            |
            3.0.1                 | 3 | 0 | 1 |            |
            2.7                   | 2 | 7 | 0 |            |
            2                     | 2 | 0 | 0 |            |
            v3                    | 3 | 0 | 0 |            |
            01.02.03              | 1 | 2 | 3 |            |
            1.0.0-alpha.1         | 1 | 0 | 0 | alpha.1    |
            1.0.0-0               | 1 | 0 | 0 | 0          |
            1.0.0-x-y.z--         | 1 | 0 | 0 | x-y.z--    |
            1.0.0+20130313144700  | 1 | 0 | 0 |            | 20130313144700
            1.0.0-beta+exp.sha.5  | 1 | 0 | 0 | beta       | exp.sha.5
            2.3.2-centos-v2       | 2 | 3 | 2 | centos-v2  |
            """)
    void parsesLikeMastermindsNewVersion(String text, long major, long minor, long patch, String pre, String build) {
        // An empty CSV cell arrives as null.
        String expectedPre = pre == null ? "" : pre;
        String expectedBuild = build == null ? "" : build;

        SemanticVersion version = SemanticVersion.parse(text);

        assertThat(version).isEqualTo(new SemanticVersion(major, minor, patch, expectedPre, expectedBuild));
        assertThat(version.isPrerelease()).isEqualTo(!expectedPre.isEmpty());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            v2.7         | 2.7.0
            2.6.3-debian | 2.6.3-debian
            1.0.0-rc.1+b | 1.0.0-rc.1+b
            """)
    void printsCanonicalForm(String text, String canonical) {
        assertThat(SemanticVersion.parse(text)).hasToString(canonical);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "debian", "2.x", "*", "1.2.3.4", "V1.2.3", " 1.2.3", "1.2.3 ", "1.2.3-", "1.2.3+", "1.2.3-a..b",
        "1.2.3-a_b", "1.2.3-01", "1.2.3-alpha.007", "-1.2.3", "1..2", "99999999999999999999.0.0"
    })
    void rejectsMalformedVersionsQuotingThem(String text) {
        assertThatThrownBy(() -> SemanticVersion.parse(text))
                .isInstanceOf(InvalidVersionException.class)
                .hasMessageStartingWith("invalid version '" + text + "': ")
                .satisfies(e -> assertThat(((InvalidVersionException) e).rejectedText()).isEqualTo(text));
    }

    @Test
    void leadingZeroInPrereleaseIsNamedInTheMessage() {
        assertThatThrownBy(() -> SemanticVersion.parse("1.2.3-rc.01"))
                .hasMessage("invalid version '1.2.3-rc.01': numeric prerelease identifier '01' must not have a leading zero");
    }

    /** The example chain from SemVer 2.0.0 §11.4, in ascending order. */
    private static final List<String> SPEC_CHAIN = List.of(
            "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
            "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0");

    static Stream<Arguments> specChainPairs() {
        List<Arguments> pairs = new ArrayList<>();
        for (int lower = 0; lower < SPEC_CHAIN.size(); lower++) {
            for (int higher = lower + 1; higher < SPEC_CHAIN.size(); higher++) {
                pairs.add(Arguments.of(SPEC_CHAIN.get(lower), SPEC_CHAIN.get(higher)));
            }
        }
        return pairs.stream();
    }

    @ParameterizedTest(name = "{0} < {1}")
    @MethodSource("specChainPairs")
    void followsTheSpecExampleChainForEveryPair(String lower, String higher) {
        SemanticVersion low = SemanticVersion.parse(lower);
        SemanticVersion high = SemanticVersion.parse(higher);

        assertThat(low.compareTo(high)).isNegative();
        assertThat(high.compareTo(low)).isPositive();
    }

    @Test
    void sortingAShuffledSpecChainRestoresIt() {
        List<SemanticVersion> versions = new ArrayList<>(SPEC_CHAIN.stream().map(SemanticVersion::parse).toList());
        Collections.reverse(versions);
        Collections.swap(versions, 1, 5);

        Collections.sort(versions);

        assertThat(versions).extracting(SemanticVersion::toString).containsExactlyElementsOf(SPEC_CHAIN);
    }

    @ParameterizedTest(name = "{0} < {1}")
    @CsvSource(delimiter = '|', textBlock = """
            1.9.0               | 1.10.0
            1.0.9               | 1.0.10
            2.9.9               | 10.0.0
            2.3.2-centos        | 2.3.2-debian
            2.3.2-debian        | 2.3.2
            2.3.2-debian        | 2.3.3-centos
            2.7.3-debian        | 3.0.1-debian
            1.0.0-2             | 1.0.0-10
            1.0.0-99            | 1.0.0-100
            1.0.0-12345678901234567890 | 1.0.0-123456789012345678901
            1.0.0-999           | 1.0.0-a
            1.0.0-Z             | 1.0.0-a
            1.0.0-alpha.1.0     | 1.0.0-alpha-1
            1.0.0-rc.1          | 1.0.0-rc.1.0
            """)
    void ordersByPrecedence(String lower, String higher) {
        assertThat(SemanticVersion.parse(lower)).isLessThan(SemanticVersion.parse(higher));
        assertThat(SemanticVersion.parse(higher)).isGreaterThan(SemanticVersion.parse(lower));
    }

    @ParameterizedTest(name = "{0} == {1}")
    @CsvSource(delimiter = '|', textBlock = """
            1.0.0+build.1      | 1.0.0+build.2
            1.0.0-rc.1+a       | 1.0.0-rc.1
            v2.7               | 2.7.0
            01.2.3             | 1.2.3
            """)
    void samePrecedence(String left, String right) {
        assertThat(SemanticVersion.parse(left).compareTo(SemanticVersion.parse(right))).isZero();
    }

    @Test
    void buildMetadataMakesVersionsUnequalButNotOrdered() {
        SemanticVersion one = SemanticVersion.parse("1.0.0+one");
        SemanticVersion two = SemanticVersion.parse("1.0.0+two");

        assertThat(one).isNotEqualTo(two);
        assertThat(one).isEqualByComparingTo(two);
    }
}
