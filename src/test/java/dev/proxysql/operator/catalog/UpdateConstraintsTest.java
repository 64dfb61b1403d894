package dev.proxysql.operator.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UpdateConstraintsTest {

    private static UpgradeDecision upgrade(String from, String to) {
        CatalogEntry current = KubeDbProxySqlCatalog.named(from);
        return current.updateConstraints().evaluate(current.name(), KubeDbProxySqlCatalog.named(to).version());
    }

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            2.6.3-debian | 2.7.3-debian | true
            2.6.3-debian | 3.0.1-debian | false
            2.7.3-debian | 3.0.1-debian | true
            2.3.2-centos | 2.3.2-debian | true
            2.3.2-debian | 2.3.2-centos | false
            2.4.4-centos | 2.4.4-debian | true
            2.4.4-debian | 2.4.4-centos | false
            2.4.4-debian | 2.3.2-debian | false
            3.0.1-debian | 2.7.3-debian | false
            2.3.2-debian | 2.7.3-debian | true
            2.3.2-debian | 3.0.1-debian | false
            2.6.3-debian | 2.6.3-debian | true
            3.0.1-debian | 3.0.1-debian | true
            """)
    void followsTheRealCatalog(String from, String to, boolean allowed) {
        assertThat(upgrade(from, to).allowed()).isEqualTo(allowed);
    }

    @Test
    void explainsARejectionByNamingTheAllowlistConstraint() {
        assertThat(upgrade("2.6.3-debian", "3.0.1-debian")).isEqualTo(new UpgradeDecision(false,
                "upgrade from 2.6.3-debian to 3.0.1-debian is not allowed: it does not satisfy allowlist constraint"
                        + " '>= 2.6.3-debian, <= 2.7.3-debian' of ProxySQLVersion 2.6.3-debian"));
    }

    @Test
    void explainsAnApproval() {
        assertThat(upgrade("2.6.3-debian", "2.7.3-debian")).isEqualTo(new UpgradeDecision(true,
                "upgrade from 2.6.3-debian to 2.7.3-debian is allowed: it satisfies allowlist constraint"
                        + " '>= 2.6.3-debian, <= 2.7.3-debian' of ProxySQLVersion 2.6.3-debian"));
    }

    @Test
    void anyAllowlistEntryIsEnough() {
        UpdateConstraints constraints = new UpdateConstraints(List.of("~2.6.3-debian", ">= 3.0.0-debian"), List.of());

        assertThat(constraints.evaluate("2.6.3-debian", "3.0.1-debian").reason())
                .isEqualTo("upgrade from 2.6.3-debian to 3.0.1-debian is allowed: it satisfies allowlist constraint"
                        + " '>= 3.0.0-debian' of ProxySQLVersion 2.6.3-debian");
        assertThat(constraints.evaluate("2.6.3-debian", "2.7.3-debian")).isEqualTo(new UpgradeDecision(false,
                "upgrade from 2.6.3-debian to 2.7.3-debian is not allowed: it satisfies none of the allowlist"
                        + " constraints '~2.6.3-debian', '>= 3.0.0-debian' of ProxySQLVersion 2.6.3-debian"));
    }

    @Test
    void denylistWinsOverAllowlist() {
        UpdateConstraints constraints = new UpdateConstraints(
                List.of(">= 2.3.2-debian, <= 2.7.3-debian"), List.of("3.0.0-debian", "2.6.3-debian"));

        assertThat(constraints.evaluate("2.3.2-debian", "2.6.3-debian")).isEqualTo(new UpgradeDecision(false,
                "upgrade from 2.3.2-debian to 2.6.3-debian is not allowed: it matches denylist constraint"
                        + " '2.6.3-debian' of ProxySQLVersion 2.3.2-debian"));
        assertThat(constraints.evaluate("2.3.2-debian", "2.7.3-debian").allowed()).isTrue();
    }

    @Test
    void emptyAllowlistAllowsEverythingNotDenied() {
        UpdateConstraints onlyDeny = new UpdateConstraints(List.of(), List.of("< 2.6.0-0"));

        assertThat(onlyDeny.evaluate("2.4.4-debian", "3.0.1-debian")).isEqualTo(new UpgradeDecision(true,
                "upgrade from 2.4.4-debian to 3.0.1-debian is allowed: ProxySQLVersion 2.4.4-debian has no allowlist"
                        + " and no denylist constraint matches"));
        assertThat(onlyDeny.evaluate("2.4.4-debian", "2.3.2-debian").allowed()).isFalse();
        assertThat(UpdateConstraints.none().evaluate("2.4.4-debian", "1.0.0")).isEqualTo(new UpgradeDecision(true,
                "upgrade from 2.4.4-debian to 1.0.0 is allowed: ProxySQLVersion 2.4.4-debian has no allowlist"));
    }

    @Test
    void missingListsAreEmpty() {
        UpdateConstraints fromAnEmptyCr = new UpdateConstraints(null, null);

        assertThat(fromAnEmptyCr).isEqualTo(UpdateConstraints.none());
        assertThat(fromAnEmptyCr.evaluate("2.6.3-debian", "9.9.9").allowed()).isTrue();
    }

    @Test
    void releaseOnlyDenylistDoesNotDenyPrereleaseVersions() {
        // A pitfall of Masterminds' prerelease rule: "< 2.7" never matches "2.6.3-debian".
        UpdateConstraints constraints = new UpdateConstraints(List.of(), List.of("< 2.7"));

        assertThat(constraints.evaluate("2.4.4-debian", "2.6.3-debian").allowed()).isTrue();
        assertThat(constraints.evaluate("2.4.4-debian", "2.6.3").allowed()).isFalse();
    }

    @Test
    void hintsWhenOnlyThePrereleaseRuleRejects() {
        UpdateConstraints constraints = new UpdateConstraints(List.of(">= 2.6"), List.of());

        assertThat(constraints.evaluate("2.6.3-debian", "2.7.3-debian").reason()).isEqualTo(
                "upgrade from 2.6.3-debian to 2.7.3-debian is not allowed: it does not satisfy allowlist constraint"
                        + " '>= 2.6' of ProxySQLVersion 2.6.3-debian (2.7.3-debian has a prerelease part, and a"
                        + " constraint only matches prerelease versions if it names a prerelease itself,"
                        + " e.g. '>= 2.6.3-debian')");
    }

    @Test
    void prereleaseRuleCanBeSwitchedToTheOlderMastermindsBehaviour() {
        UpdateConstraints mixed = new UpdateConstraints(List.of(">= 2.6.3-debian, <= 3.0.1"), List.of());

        assertThat(mixed.evaluate("2.6.3-debian", "2.7.3-debian").allowed()).isTrue();
        assertThat(mixed.evaluate("2.6.3-debian", "2.7.3-debian", PrereleaseMatching.PER_COMPARISON).allowed())
                .isFalse();
    }

    @Test
    void malformedConstraintNamesListIndexAndVersion() {
        UpdateConstraints broken = new UpdateConstraints(List.of(">= 2.6.3-debian"), List.of("2.7.x", ">= two"));

        assertThatThrownBy(() -> broken.evaluate("2.6.3-debian", "2.7.3-debian"))
                .isInstanceOf(InvalidConstraintException.class)
                .hasMessage("spec.updateConstraints.denylist[1] of ProxySQLVersion 2.6.3-debian: invalid version"
                        + " constraint '>= two': cannot parse '>= two' as a comparison (expected an optional operator"
                        + " =, !=, >, <, >=, <=, ~, ^ and a version like 1.2.3, 1.2.x or *)");
    }

    @Test
    void malformedTargetVersionIsRejected() {
        assertThatThrownBy(() -> UpdateConstraints.none().evaluate("2.6.3-debian", "latest"))
                .isInstanceOf(InvalidVersionException.class)
                .hasMessageContaining("invalid version 'latest'");
    }

    @ParameterizedTest(name = "{0} -> [{1}]")
    @CsvSource(delimiter = '|', textBlock = """
            2.3.2-centos | 2.3.2-debian, 2.4.4-centos, 2.4.4-debian, 2.6.3-debian, 2.7.3-debian
            2.3.2-debian | 2.4.4-centos, 2.4.4-debian, 2.6.3-debian, 2.7.3-debian
            2.4.4-centos | 2.4.4-debian, 2.6.3-debian, 2.7.3-debian
            2.4.4-debian | 2.6.3-debian, 2.7.3-debian
            2.6.3-debian | 2.7.3-debian
            2.7.3-debian | 3.0.1-debian
            3.0.1-debian |
            """)
    void listsAllowedTargetsOfTheRealCatalog(String current, String expected) {
        List<String> expectedNames = expected == null ? List.of() : List.of(expected.split(", "));

        assertThat(UpgradeTargets.allowedTargetNames(KubeDbProxySqlCatalog.named(current), KubeDbProxySqlCatalog.ENTRIES))
                .containsExactlyElementsOf(expectedNames);
    }

    @Test
    void deprecatedVersionsAreNeverSuggested() {
        // "2.3.2" (deprecated) satisfies ">= 2.3.2-centos, <= 2.7.3-debian": a release ranks above its prereleases.
        CatalogEntry current = KubeDbProxySqlCatalog.named("2.3.2-centos");
        assertThat(current.updateConstraints().evaluate(current.name(), "2.3.2").allowed()).isTrue();

        assertThat(UpgradeTargets.allowedTargetNames(current, KubeDbProxySqlCatalog.ENTRIES)).doesNotContain("2.3.2");
    }

    @Test
    void targetsAreSortedByVersionWhateverTheCatalogOrder() {
        List<CatalogEntry> reversed = new ArrayList<>(KubeDbProxySqlCatalog.ENTRIES);
        Collections.reverse(reversed);

        assertThat(UpgradeTargets.allowedTargetNames(KubeDbProxySqlCatalog.named("2.4.4-centos"), reversed))
                .containsExactly("2.4.4-debian", "2.6.3-debian", "2.7.3-debian");
    }

    @Test
    void describesTargetsForErrorMessages() {
        assertThat(UpgradeTargets.describe(UpgradeTargets.allowedTargetNames(
                KubeDbProxySqlCatalog.named("2.6.3-debian"), KubeDbProxySqlCatalog.ENTRIES)))
                .isEqualTo("allowed targets: 2.7.3-debian");
        assertThat(UpgradeTargets.describe(List.of())).isEqualTo("there are no allowed targets");
    }

    @Test
    void malformedCatalogVersionIsNamed() {
        List<CatalogEntry> catalog = List.of(
                KubeDbProxySqlCatalog.named("2.7.3-debian"),
                new CatalogEntry("custom", "3.0.1_debian", false, null));

        assertThatThrownBy(() -> UpgradeTargets.allowedTargetNames(KubeDbProxySqlCatalog.named("2.7.3-debian"), catalog))
                .isInstanceOf(InvalidVersionException.class)
                .hasMessageStartingWith("spec.version of ProxySQLVersion custom: invalid version '3.0.1_debian'");
    }
}
