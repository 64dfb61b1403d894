package dev.proxysql.operator.catalog;

import java.util.List;

/**
 * KubeDB's ProxySQLVersion catalog (kubedb/installer catalog/kubedb/raw/proxysql, 2026-08) as listed
 * in shared/reference/kubedb-proxysql-api.md §1.4. The reference does not give the spec.version of
 * the two deprecated entries; as in this project's deploy/catalog manifests, it equals the name.
 */
final class KubeDbProxySqlCatalog {

    static final List<CatalogEntry> ENTRIES = List.of(
            deprecated("2.0.4"),
            deprecated("2.3.2"),
            entry("2.3.2-centos", ">= 2.3.2-centos, <= 2.7.3-debian"),
            entry("2.3.2-debian", ">= 2.3.2-debian, <= 2.7.3-debian"),
            entry("2.4.4-centos", ">= 2.4.4-centos, <= 2.7.3-debian"),
            entry("2.4.4-debian", ">= 2.4.4-debian, <= 2.7.3-debian"),
            entry("2.6.3-debian", ">= 2.6.3-debian, <= 2.7.3-debian"),
            entry("2.7.3-debian", ">= 2.7.3-debian, <= 3.0.1-debian"),
            entry("3.0.1-debian", ">= 3.0.1-debian, <= 3.0.1-debian"));

    private KubeDbProxySqlCatalog() {
    }

    static CatalogEntry named(String name) {
        return ENTRIES.stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
    }

    private static CatalogEntry entry(String name, String allowlist) {
        return new CatalogEntry(name, name, false, new UpdateConstraints(List.of(allowlist), List.of()));
    }

    private static CatalogEntry deprecated(String name) {
        return new CatalogEntry(name, name, true, UpdateConstraints.none());
    }
}
