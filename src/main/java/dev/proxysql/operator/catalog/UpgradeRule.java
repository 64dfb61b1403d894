package dev.proxysql.operator.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@link UpdateConstraints} of one catalog version, parsed once so that many targets can be
 * checked against them (see {@link UpgradeTargets}).
 */
final class UpgradeRule {

    private final String currentName;
    private final List<VersionConstraint> allowlist;
    private final List<VersionConstraint> denylist;
    private final PrereleaseMatching prereleaseMatching;

    private UpgradeRule(String currentName, List<VersionConstraint> allowlist, List<VersionConstraint> denylist,
            PrereleaseMatching prereleaseMatching) {
        this.currentName = currentName;
        this.allowlist = allowlist;
        this.denylist = denylist;
        this.prereleaseMatching = prereleaseMatching;
    }

    static UpgradeRule compile(String currentName, UpdateConstraints constraints, PrereleaseMatching prereleaseMatching) {
        return new UpgradeRule(currentName,
                parseAll(currentName, "allowlist", constraints.allowlist()),
                parseAll(currentName, "denylist", constraints.denylist()),
                prereleaseMatching);
    }

    private static List<VersionConstraint> parseAll(String currentName, String listName, List<String> texts) {
        List<VersionConstraint> parsed = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            try {
                parsed.add(VersionConstraint.parse(texts.get(i)));
            } catch (InvalidConstraintException e) {
                throw e.withContext("spec.updateConstraints." + listName + "[" + i + "] of ProxySQLVersion " + currentName);
            }
        }
        return List.copyOf(parsed);
    }

    UpgradeDecision evaluate(String targetVersion) {
        return evaluate(targetVersion, SemanticVersion.parse(targetVersion));
    }

    UpgradeDecision evaluate(String targetText, SemanticVersion target) {
        Optional<VersionConstraint> denying = firstSatisfied(denylist, target);
        if (denying.isPresent()) {
            // Checked first so the reason names the deny rule, which wins whatever the allowlist says.
            return UpgradeDecision.deny(currentName, targetText,
                    "it matches denylist constraint '" + denying.get() + "' of ProxySQLVersion " + currentName);
        }
        if (allowlist.isEmpty()) {
            return UpgradeDecision.allow(currentName, targetText, "ProxySQLVersion " + currentName
                    + " has no allowlist" + (denylist.isEmpty() ? "" : " and no denylist constraint matches"));
        }
        Optional<VersionConstraint> allowing = firstSatisfied(allowlist, target);
        if (allowing.isPresent()) {
            return UpgradeDecision.allow(currentName, targetText,
                    "it satisfies allowlist constraint '" + allowing.get() + "' of ProxySQLVersion " + currentName);
        }
        String unmet = allowlist.size() == 1
                ? "it does not satisfy allowlist constraint '" + allowlist.get(0) + "'"
                : "it satisfies none of the allowlist constraints "
                        + allowlist.stream().map(c -> "'" + c + "'").collect(Collectors.joining(", "));
        return UpgradeDecision.deny(currentName, targetText,
                unmet + " of ProxySQLVersion " + currentName + prereleaseHint(targetText, target));
    }

    /** Explains the one failure that surprises people: "2.7.3-debian" does not satisfy ">= 2.6". */
    private String prereleaseHint(String targetText, SemanticVersion target) {
        boolean rejectedForPrereleaseAlone = target.isPrerelease()
                && allowlist.stream().noneMatch(c -> c.admitsPrereleases(prereleaseMatching));
        return rejectedForPrereleaseAlone
                ? " (" + targetText + " has a prerelease part, and a constraint only matches prerelease versions"
                        + " if it names a prerelease itself, e.g. '>= 2.6.3-debian')"
                : "";
    }

    private Optional<VersionConstraint> firstSatisfied(List<VersionConstraint> constraints, SemanticVersion target) {
        return constraints.stream().filter(c -> c.isSatisfiedBy(target, prereleaseMatching)).findFirst();
    }
}
