package dev.proxysql.operator.proxysql.config;

/**
 * A user-facing reason why no {@code proxysql.cnf} could be rendered.
 *
 * @param path   where the bad value came from, e.g. {@code spec.configuration.init.inline.mysqlVariables.interfaces}
 * @param reason what is wrong, phrased for a status condition message
 */
public record ConfigError(String path, String reason) {

    @Override
    public String toString() {
        return path + ": " + reason;
    }
}
