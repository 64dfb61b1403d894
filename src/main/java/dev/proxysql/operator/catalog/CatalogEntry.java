package dev.proxysql.operator.catalog;

import java.util.Objects;

/**
 * The parts of a catalog version (ProxySQLVersion) that decide upgrades, free of Kubernetes types.
 *
 * @param name              {@code metadata.name}, what a ProxySQL's {@code spec.version} and an
 *                          ops request's target refer to
 * @param version           {@code spec.version}, the version the constraints are checked against
 * @param deprecated        {@code spec.deprecated}
 * @param updateConstraints {@code spec.updateConstraints}; null is treated as none
 */
public record CatalogEntry(String name, String version, boolean deprecated, UpdateConstraints updateConstraints) {

    public CatalogEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        updateConstraints = updateConstraints == null ? UpdateConstraints.none() : updateConstraints;
    }
}
