package dev.proxysql.operator.opsmanager.io;

import dev.proxysql.operator.api.catalog.v1alpha1.ProxySQLVersion;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * "Version" means two things here, and this is where one becomes the other: a <b>version name</b> is a ProxySQLVersion
 * catalog entry ({@code 2.7.3-debian}, what {@code spec.version} and {@code targetVersion} hold); a <b>release</b> is
 * the ProxySQL build its image runs ({@code 2.7.3}, that entry's {@code spec.version}, what {@code SELECT @@version}
 * reports).
 */
public final class ProxySQLReleases {
    private final KubernetesClient client;

    public ProxySQLReleases(KubernetesClient client) {
        this.client = client;
    }

    /** The release of catalog entry {@code versionName}; the name itself if the entry is gone or names no release. */
    public String of(String versionName) {
        ProxySQLVersion v = versionName == null ? null : client.resources(ProxySQLVersion.class).withName(versionName).get();
        return v == null || v.getSpec() == null || v.getSpec().getVersion() == null ? versionName : v.getSpec().getVersion();
    }
}
