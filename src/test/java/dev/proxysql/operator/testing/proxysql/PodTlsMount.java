package dev.proxysql.operator.testing.proxysql;

import dev.proxysql.operator.topology.ProxySQLNames;
import dev.proxysql.operator.topology.TlsLayout;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * What the kubelet and the {@code tls-files} init container do for a pod whose template mounts the server
 * certificate: the Secret laid out as a Secret volume next to the node's datadir, then the init container's own script
 * (taken from the pod spec, its paths mapped to the node's) links the datadir files into it.
 */
public final class PodTlsMount {
    private PodTlsMount() {
    }

    /** The Secret the pod spec mounts for the server certificate, if its template has TLS. */
    public static Optional<String> secretName(PodSpec spec) {
        if (spec.getInitContainers() == null || spec.getInitContainers().stream().noneMatch(c -> TlsLayout.INIT_CONTAINER.equals(c.getName()))) {
            return Optional.empty();
        }
        return spec.getVolumes().stream().filter(v -> TlsLayout.VOLUME.equals(v.getName())).map(Volume::getSecret)
                .map(s -> s.getSecretName()).findFirst();
    }

    /** The volume of a node: where the kubelet would keep the Secret's files. */
    public static SecretVolume volume(ProxySqlNode node) {
        return new SecretVolume(node.datadir().getParent().resolve("server-tls"));
    }

    /** Writes the Secret into the node's volume and runs the pod's init container script; the node must not run yet. */
    public static SecretVolume mount(PodSpec spec, Secret secret, ProxySqlNode node) throws IOException, InterruptedException {
        SecretVolume volume = volume(node);
        volume.write(secret);
        Container init = spec.getInitContainers().stream().filter(c -> TlsLayout.INIT_CONTAINER.equals(c.getName())).findFirst().orElseThrow();
        String script = init.getCommand().get(2).replace(TlsLayout.SERVER_MOUNT, volume.dir().toString())
                .replace(ProxySQLNames.DATA_MOUNT, node.datadir().toString());
        Process sh = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
        String out = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (sh.waitFor() != 0) {
            throw new IOException("the init container's script failed: " + out);
        }
        return volume;
    }
}
