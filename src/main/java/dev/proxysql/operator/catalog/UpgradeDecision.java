package dev.proxysql.operator.catalog;

/**
 * Whether a version upgrade passes the current version's {@code updateConstraints}, and why, in a
 * sentence fit for a webhook denial or an ops request condition message.
 *
 * @param allowed whether the upgrade is allowed
 * @param reason  a human-readable explanation naming the deciding constraint
 */
public record UpgradeDecision(boolean allowed, String reason) {

    static UpgradeDecision allow(String from, String to, String why) {
        return new UpgradeDecision(true, "upgrade from " + from + " to " + to + " is allowed: " + why);
    }

    static UpgradeDecision deny(String from, String to, String why) {
        return new UpgradeDecision(false, "upgrade from " + from + " to " + to + " is not allowed: " + why);
    }
}
