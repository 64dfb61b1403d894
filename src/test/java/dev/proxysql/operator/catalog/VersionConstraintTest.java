package dev.proxysql.operator.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Expected results follow Masterminds semver v3.4.0 {@code Constraints.Check}; many rows are the
 * cases of that project's constraints_test.go, the rest were worked out from its constraints.go.
 */
class VersionConstraintTest {

    private static boolean check(String constraint, String version) {
        return VersionConstraint.parse(constraint).isSatisfiedBy(SemanticVersion.parse(version));
    }

    @ParameterizedTest(name = "''{0}'' on {1} -> {2}")
    @CsvSource(delimiter = ';', textBlock = """
            >= 2.6.3-debian, <= 2.7.3-debian ; 2.6.3-debian ; true
            >= 2.6.3-debian, <= 2.7.3-debian ; 2.7.3-debian ; true
            >= 2.6.3-debian, <= 2.7.3-debian ; 3.0.1-debian ; false
            >= 2.6.3-debian, <= 2.7.3-debian ; 2.4.4-debian ; false
            >= 2.3.2-centos, <= 2.7.3-debian ; 2.3.2-debian ; true
            >= 2.4.4-debian, <= 2.7.3-debian ; 2.4.4-centos ; false
            >= 2.4.4-debian, <= 2.7.3-debian ; 2.7.3-ubuntu ; false
            >= 2.3.2-centos, <= 2.7.3-debian ; 2.5.0        ; true
            =2.0.0           ; 2.0.0     ; true
            =2.0.0           ; 2.0.1     ; false
            2.0.0            ; v2.0.0    ; true
            = 2.0            ; 2.0.9     ; true
            = 2.0            ; 2.1.0     ; false
            !=4.1.0          ; 4.1.0     ; false
            !=4.1.0          ; 4.1.1     ; true
            !=4.1            ; 4.1.7     ; false
            !=4.1            ; 5.1.0     ; true
            !=4.x            ; 4.9.0     ; false
            !=4.x            ; 5.0.0     ; true
            !=4.1-alpha      ; 4.1.0     ; true
            !=4.1-alpha      ; 4.1.1-alpha ; false
            >1.1             ; 1.1.9     ; false
            >1.1             ; 1.2.0     ; true
            >11              ; 11.9.0    ; false
            >11              ; 12.0.0    ; true
            >1.2.3           ; 1.2.4     ; true
            >1.2.3           ; 1.2.3     ; false
            >1.2.3-alpha.1   ; 1.2.3-alpha.2 ; true
            <1.1             ; 1.0.9     ; true
            <1.1             ; 1.1.0     ; false
            <1.x             ; 1.1.1     ; false
            <1.x             ; 0.9.0     ; true
            <1.1.x           ; 1.1.500   ; false
            >=1.1            ; 1.1.0     ; true
            >=1.1            ; 1.0.9     ; false
            =>1.1            ; 1.1.0     ; true
            <=1.1            ; 1.1.9     ; true
            <=1.1            ; 1.2.0     ; false
            <=2.x            ; 2.9.9     ; true
            <=2.x            ; 3.0.0     ; false
            <=1.2.3          ; 1.2.3     ; true
            =<1.2.3          ; 1.2.4     ; false
            ~1.2.3           ; 1.2.9     ; true
            ~1.2.3           ; 1.2.2     ; false
            ~1.2.3           ; 1.3.0     ; false
            ~1.2             ; 1.2.4     ; true
            ~1               ; 1.9.0     ; true
            ~1               ; 2.0.0     ; false
            ~>1.2.3          ; 1.2.5     ; true
            ~*               ; 9.9.9     ; true
            ~0.0.0           ; 1.2.3     ; true
            ~0               ; 0.5.0     ; true
            ~0               ; 1.0.0     ; false
            0.x.x            ; 1.2.3     ; false
            0.0.x            ; 1.2.3     ; false
            0.0.x            ; 0.0.9     ; true
            ~1.2.3-beta.2    ; 1.2.4-beta.2 ; true
            ~1.2.3-beta.2    ; 1.3.4-beta.2 ; false
            ^1.2.3           ; 1.8.9     ; true
            ^1.2.3           ; 2.0.0     ; false
            ^1.2.3           ; 1.2.2     ; false
            ^1.x             ; 1.0.0     ; true
            ^2.x             ; 1.9.9     ; false
            ^0.2.3           ; 0.2.5     ; true
            ^0.2.3           ; 0.3.0     ; false
            ^0.2             ; 0.2.9     ; true
            ^0.0.3           ; 0.0.3     ; true
            ^0.0.3           ; 0.0.4     ; false
            ^0.0             ; 0.0.7     ; true
            ^0.0             ; 0.1.0     ; false
            ^0               ; 0.9.0     ; true
            ^0               ; 1.0.0     ; false
            ^0.0.0           ; 1.2.3     ; false
            2.7.x            ; 2.7.3     ; true
            2.7.x            ; 2.8.0     ; false
            2.7.*            ; 2.7.0     ; true
            2.X              ; 2.9.1     ; true
            2.*              ; 3.0.0     ; false
            2                ; 2.1.1     ; true
            *                ; 4.5.6     ; true
            x                ; 0.0.0     ; true
            1.x.7            ; 1.2.0     ; true
            2.7.x-debian     ; 2.7.3-debian ; true
            2.7.x-debian     ; 2.8.0-debian ; false
            >1.1 <2          ; 1.2.1     ; true
            >1.1, <2         ; 1.1.1     ; false
            >1.1 , <3        ; 4.3.2     ; false
            >=1.1, <2, !=1.2.3        ; 1.2.3 ; false
            >=1.1, <2, !=1.2.3 || > 3 ; 4.1.2 ; true
            >=1.1, <2, !=1.2.3 || > 3 ; 3.0.0 ; false
            >=1.1 <2 !=1.2.3 || >= 3  ; 3.0.0 ; true
            1.1 - 2          ; 1.1.1     ; true
            1.1 - 2          ; 2.9.0     ; true
            1.1 - 2          ; 3.0.0     ; false
            1.1 - 2          ; 1.0.9     ; false
            1.5.0 - 4.5      ; 4.5.9     ; true
            1.0.0 - 2.0.0 <=1.5.0     ; 1.6.0 ; false
            1.0.0 - 2.0.0, !=1.5.0    ; 1.5.0 ; false
            1 - 2 || 4 - 5   ; 3.0.0     ; false
            1 - 2 || 4 - 5   ; 4.2.0     ; true
            1.1-3            ; 4.3.2     ; false
            v1.2.3           ; 1.2.3     ; true
            1.2.3+build.7    ; 1.2.3     ; true
            """)
    void evaluatesOperatorsLikeMasterminds(String constraint, String version, boolean expected) {
        assertThat(check(constraint, version)).isEqualTo(expected);
    }

    /** Two Masterminds quirks, kept on purpose so results never differ from KubeDB's. */
    @ParameterizedTest(name = "''{0}'' on {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            <= *   | 0.0.5  | true
            <= *   | 0.1.0  | false
            <= *   | 1.0.0  | false
            ^*     | 0.0.0  | true
            ^*     | 1.2.3  | false
            !=*    | 1.2.3  | true
            !=*    | 0.0.0  | false
            """)
    void keepsMastermindsWildcardQuirks(String constraint, String version, boolean expected) {
        assertThat(check(constraint, version)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "''{0}'' on {1}: per group {2}, per comparison {3}")
    @CsvSource(delimiter = ';', textBlock = """
            >= 2.6.3                       ; 2.7.3-debian ; false ; false
            *                              ; 2.7.3-debian ; false ; false
            2.7.x                          ; 2.7.3-debian ; false ; false
            ~2.7                           ; 2.7.3-debian ; false ; false
            != 3.0.0                       ; 2.7.3-debian ; false ; false
            < 2.7                          ; 2.6.3-debian ; false ; false
            < 2.7.0-0                      ; 2.6.3-debian ; true  ; true
            >= 2.6.3-debian                ; 2.7.3-debian ; true  ; true
            >= 2.6.3-debian, <= 3.0.1      ; 2.7.3-debian ; true  ; false
            >= 2.6.3, <= 3.0.1-debian      ; 2.7.3-debian ; true  ; false
            >= 2.6.3, <= 3.0.1 || =9.9.9-x ; 2.7.3-debian ; false ; false
            >= 2.6.3, <= 3.0.1 || >= 2.7.3-debian ; 2.7.3-debian ; true ; true
            *-0                            ; 1.2.3-alpha.1 ; true ; true
            >=0.0.0-0                      ; 3.4.5-beta.1 ; true  ; true
            >= 2.6.3, <= 3.0.1             ; 2.7.3        ; true  ; true
            >= 2.6.3-debian, <= 3.0.1      ; 2.7.3        ; true  ; true
            >= 2.6.3-debian, <= 3.0.1      ; 3.0.1-debian ; true  ; false
            """)
    void appliesThePrereleaseRule(String constraint, String version, boolean perGroup, boolean perComparison) {
        VersionConstraint parsed = VersionConstraint.parse(constraint);
        SemanticVersion candidate = SemanticVersion.parse(version);

        assertThat(parsed.isSatisfiedBy(candidate, PrereleaseMatching.PER_AND_GROUP)).isEqualTo(perGroup);
        assertThat(parsed.isSatisfiedBy(candidate, PrereleaseMatching.PER_COMPARISON)).isEqualTo(perComparison);
    }

    @Test
    void defaultIsTheMasterminds340Rule() {
        VersionConstraint mixed = VersionConstraint.parse(">= 2.6.3-debian, <= 3.0.1");

        assertThat(mixed.isSatisfiedBy(SemanticVersion.parse("2.7.3-debian"))).isTrue();
    }

    @ParameterizedTest(name = "''{0}'': per group {1}, per comparison {2}")
    @CsvSource(delimiter = ';', textBlock = """
            >= 2.6.3                         ; false ; false
            >= 2.6.3-debian, <= 2.7.3-debian ; true  ; true
            >= 2.6.3-debian, <= 3.0.1        ; true  ; false
            >= 1, < 2 || >= 3-0, < 4-0       ; true  ; true
            """)
    void tellsWhetherAnyPrereleaseCanMatch(String constraint, boolean perGroup, boolean perComparison) {
        VersionConstraint parsed = VersionConstraint.parse(constraint);

        assertThat(parsed.admitsPrereleases(PrereleaseMatching.PER_AND_GROUP)).isEqualTo(perGroup);
        assertThat(parsed.admitsPrereleases(PrereleaseMatching.PER_COMPARISON)).isEqualTo(perComparison);
    }

    @ParameterizedTest(name = "''{0}'' -> ''{1}''")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            "2 - 3"                 | ">= 2, <= 3 "
            "2 - 3, 2 - 3"          | ">= 2, <= 3 ,>= 2, <= 3 "
            "2 - 3 4.0.0 - 5.1"     | ">= 2, <= 3 >= 4.0.0, <= 5.1 "
            "1.0.0 - 2.0.0 <=2.0.0" | ">= 1.0.0, <= 2.0.0 <=2.0.0"
            "1.2-3"                 | "1.2-3"
            """)
    void rewritesHyphenRangesAsMastermindsDoes(String constraint, String rewritten) {
        assertThat(ConstraintParser.rewriteHyphenRanges(constraint)).isEqualTo(rewritten);
    }

    @ParameterizedTest(name = "''{0}''")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            ""                            | the constraint is empty
            "   "                         | the constraint is empty
            ">= bar"                      | cannot parse '>= bar' as a comparison
            "BAR >= 1.2.3"                | cannot parse 'BAR >= 1.2.3' as a comparison
            ">= 2.6.3-debian; <= 2.7.3"   | expected ',' or whitespace before '; <= 2.7.3'
            "12.3.4.1234"                 | expected ',' or whitespace before '.1234'
            "12.3.34~ 1.2.3"              | expected ',' or whitespace before '~ 1.2.3'
            ">= 1.2.3,"                   | a comparison is missing after the last ','
            ">= 1.2.3, || 2.0.0"          | a comparison is missing after the last ','
            ">= 1.2.3,, < 2"              | cannot parse ', < 2' as a comparison
            ">= 1.2.3 ||"                 | an alternative separated by '||' is empty
            "|| 1.2.3"                    | an alternative separated by '||' is empty
            ">== 1.2.3"                   | cannot parse '>== 1.2.3' as a comparison
            "1x"                          | '1x' is not a valid version
            "1.2.3-01"                    | '1.2.3-01' is not a valid version
            "1|2"                         | '1|2' is not a valid version
            "2.6.3_debian"                | expected ',' or whitespace before '_debian'
            ">= 1.0 - 2.0"                | "cannot parse '>=>= 1.0, <= 2.0' as a comparison (expected an optional operator =, !=, >, <, >=, <=, ~, ^ and a version like 1.2.3, 1.2.x or *) (after rewriting the hyphen range to '>=>= 1.0, <= 2.0')"
            """)
    void rejectsMalformedConstraintsQuotingThem(String constraint, String problem) {
        assertThatThrownBy(() -> VersionConstraint.parse(constraint))
                .isInstanceOf(InvalidConstraintException.class)
                .hasMessageStartingWith("invalid version constraint '" + constraint + "': " + problem)
                .satisfies(e -> assertThat(((InvalidConstraintException) e).rejectedText()).isEqualTo(constraint));
    }

    @Test
    void rejectsNull() {
        assertThatThrownBy(() -> VersionConstraint.parse(null))
                .isInstanceOf(InvalidConstraintException.class)
                .hasMessageStartingWith("invalid version constraint 'null': the constraint is empty");
    }

    @Test
    void wildcardAfterWhichMastermindsIgnoresTheRestIsAccepted() {
        // Masterminds' segment pattern lets '|' through; after a wildcard the rest is ignored.
        assertThat(check("1.x.|", "1.5.0")).isTrue();
    }

    @Test
    void equalityIsByText() {
        assertThat(VersionConstraint.parse(">= 1.0")).isEqualTo(VersionConstraint.parse(">= 1.0"));
        assertThat(VersionConstraint.parse(">= 1.0")).isNotEqualTo(VersionConstraint.parse(">=1.0"));
        assertThat(VersionConstraint.parse(">= 1.0")).hasToString(">= 1.0");
    }
}
