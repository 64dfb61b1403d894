package dev.proxysql.operator.topology;

import dev.proxysql.operator.api.appcatalog.v1alpha1.AppBinding;
import dev.proxysql.operator.api.catalog.v1alpha1.ProxySQLVersion;
import dev.proxysql.operator.api.common.MetadataTemplate;
import dev.proxysql.operator.api.kubedb.v1.PodTemplateSpec;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.kube.OwnerReferences;
import dev.proxysql.operator.topology.KubeDbLabels;
import dev.proxysql.operator.topology.ProxySQLContainer;
import dev.proxysql.operator.topology.ProxySQLNames;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Lifecycle;
import io.fabric8.kubernetes.api.model.LifecycleBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.SeccompProfileBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ProxySQL StatefulSet, rendered from the ProxySQL's spec and its {@link Inputs}: by the provisioner, and by the ops
 * manager for the spec an ops request will leave (so that both get the same template, and the provisioner has
 * nothing to change once the request resumes the ProxySQL). Its update strategy is OnDelete: a template change (new image, new resources) reaches
 * the pods only when an ops request replaces them, one at a time and with checks, never by the StatefulSet
 * controller on its own.
 *
 * <p>{@code spec.podTemplate.spec} is read as a core PodSpec; the ProxySQL container's essentials (image, ports,
 * mounts, probes) always come from the operator, security settings that the {@code restricted} Pod Security Standard
 * requires are filled in where the user left them empty.
 */
public final class StatefulSetFactory {
    /**
     * The field manager a rendered StatefulSet is applied under, by either controller: with one owner of every rendered
     * field, a field a later render leaves out is removed by that apply (two managers would each keep it alive).
     */
    public static final String FIELD_MANAGER = "proxysql-provisioner";
    /** Environment variables the operator owns; KubeDB rejects them in the pod template too. */
    public static final Set<String> FORBIDDEN_ENV = Set.of("MYSQL_ROOT_PASSWORD", "MYSQL_PROXY_USER", "MYSQL_PROXY_PASSWORD");
    static final long DEFAULT_RUN_AS_USER = 999L;
    /**
     * Before a ProxySQL pod gets SIGTERM, it keeps serving for {@code DRAIN_SECONDS}: a terminating pod leaves its
     * Services' endpoints at once, but kube-proxy on every node needs a moment to stop sending it new connections, which
     * would otherwise meet a ProxySQL that has already exited (measured with make e2e: 1 to 5 refused connections per
     * ops request without it). A container that names its own {@code lifecycle} keeps it.
     */
    static final long DRAIN_SECONDS = 5;
    private static final String CONFIG_VOLUME = "custom-config";
    private static final String DATA_VOLUME = "data";

    private StatefulSetFactory() {
    }

    /**
     * Inputs beyond the ProxySQL itself: its version, and how the image reaches the backend. {@code monitorSecretName}
     * is the {@code <name>-monitor} Secret: the pod never sees the backend's own (AppBinding's) credentials.
     * {@code backendTlsSecret} is the AppBinding's {@code spec.tlsSecret} (its {@code ca.crt} verifies the backend), or null.
     */
    public record Inputs(ProxySQLVersion version, BackendAddress backend, String monitorSecretName, String backendType,
                         String backendVersion, String backendTlsSecret) {

        /** The inputs for {@code p} running {@code version} in front of the backend {@code binding} describes. */
        public static Inputs of(ProxySQL p, ProxySQLVersion version, AppBinding binding, BackendAddress address) {
            var tlsSecret = binding.getSpec().getTlsSecret();
            return new Inputs(version, address, ProxySQLNames.monitorSecret(p), binding.getSpec().getType(),
                    binding.getSpec().getVersion(), tlsSecret == null || tlsSecret.getName() == null || tlsSecret.getName().isBlank()
                            ? null : tlsSecret.getName());
        }

        /** Whether ProxySQL talks TLS to the backend. */
        public boolean backendTls() {
            return backendTlsSecret != null;
        }
    }

    public static StatefulSet build(ProxySQL p, Inputs in) {
        String name = ProxySQLNames.statefulSet(p);
        PodTemplateSpec template = p.getSpec().getPodTemplate();
        MetadataTemplate controllerMeta = template == null ? null : template.getController();
        MetadataTemplate podMeta = template == null ? null : template.getMetadata();
        PodSpec podSpec = ProxySQLContainer.userPodSpec(template);
        long runAsUser = runAsUser(in.version());

        List<Container> containers = new ArrayList<>();
        containers.add(proxysqlContainer(p, in, find(podSpec, ProxySQLNames.CONTAINER), template, runAsUser));
        if (Monitoring.enabled(p) && in.version().getSpec().getExporter() != null) {
            containers.add(exporterContainer(in, find(podSpec, ProxySQLNames.EXPORTER_CONTAINER), runAsUser));
        }
        podSpec.getContainers().stream()
                .filter(c -> !ProxySQLNames.CONTAINER.equals(c.getName()) && !ProxySQLNames.EXPORTER_CONTAINER.equals(c.getName()))
                .forEach(containers::add);
        podSpec.setContainers(containers);
        podSpec.setVolumes(volumes(p, in, podSpec.getVolumes()));
        if (TlsLayout.enabled(p)) {
            List<Container> init = new ArrayList<>(List.of(tlsFilesContainer(in, runAsUser)));
            podSpec.getInitContainers().stream().filter(c -> !TlsLayout.INIT_CONTAINER.equals(c.getName())).forEach(init::add);
            podSpec.setInitContainers(init);
        }
        podSpec.setSecurityContext(podSecurity(podSpec.getSecurityContext(), runAsUser));

        Map<String, String> podAnnotations = podMeta == null ? null : podMeta.getAnnotations();
        return new StatefulSetBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(p.getMetadata().getNamespace())
                .withLabels(KubeDbLabels.offshoot(p.getMetadata().getName(), controllerMeta == null ? null : controllerMeta.getLabels()))
                .withAnnotations(controllerMeta == null ? null : controllerMeta.getAnnotations())
                .withOwnerReferences(OwnerReferences.controlledBy(p))
                .endMetadata()
                .withNewSpec()
                .withReplicas(ProxySQLNames.replicas(p))
                .withServiceName(ProxySQLNames.governingService(p))
                // Pods hold no data: start and stop them all at once; updates are OnDelete anyway.
                .withPodManagementPolicy("Parallel")
                .withNewUpdateStrategy().withType("OnDelete").endUpdateStrategy()
                .withNewSelector().withMatchLabels(KubeDbLabels.selector(p.getMetadata().getName())).endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(KubeDbLabels.offshoot(p.getMetadata().getName(), podMeta == null ? null : podMeta.getLabels()))
                .withAnnotations(podAnnotations == null || podAnnotations.isEmpty() ? null : podAnnotations)
                .endMetadata()
                .withSpec(podSpec)
                .endTemplate()
                .endSpec()
                .build();
    }

    /** The image of the ProxySQL container in a StatefulSet's template, or null. */
    public static String proxysqlImage(StatefulSet sts) {
        return sts.getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> ProxySQLNames.CONTAINER.equals(c.getName()))
                .map(Container::getImage)
                .findFirst().orElse(null);
    }

    /** The containers the user listed in {@code spec.podTemplate.spec}. */
    public static List<Container> userContainers(PodTemplateSpec template) {
        return ProxySQLContainer.userPodSpec(template).getContainers();
    }

    private static Lifecycle drain() {
        return new LifecycleBuilder().withNewPreStop().withNewSleep(DRAIN_SECONDS).endPreStop().build();
    }

    private static Container find(PodSpec spec, String name) {
        return spec.getContainers().stream().filter(c -> name.equals(c.getName())).findFirst().orElse(null);
    }

    private static Container proxysqlContainer(ProxySQL p, Inputs in, Container user, PodTemplateSpec template, long runAsUser) {
        Container base = user == null ? new Container() : user;
        List<EnvVar> env = new ArrayList<>(backendEnv(in));
        if (base.getEnv() != null) {
            base.getEnv().stream().filter(e -> !FORBIDDEN_ENV.contains(e.getName())).forEach(env::add);
        }
        List<VolumeMount> mounts = new ArrayList<>(List.of(
                new VolumeMountBuilder().withName(DATA_VOLUME).withMountPath(ProxySQLNames.DATA_MOUNT).build(),
                new VolumeMountBuilder().withName(CONFIG_VOLUME).withMountPath(ProxySQLNames.CONFIG_MOUNT).withReadOnly(true).build()));
        if (TlsLayout.enabled(p)) {
            mounts.add(tlsMount());
        }
        if (in.backendTls()) {
            mounts.add(new VolumeMountBuilder().withName(TlsLayout.BACKEND_VOLUME).withMountPath(TlsLayout.BACKEND_MOUNT).withReadOnly(true).build());
        }
        return new ContainerBuilder(base)
                .withName(ProxySQLNames.CONTAINER)
                .withImage(in.version().getSpec().getProxysql().getImage())
                .withPorts(proxysqlPorts(p, in))
                .withEnv(env)
                .withResources(ProxySQLContainer.resources(base.getResources(), template))
                .withVolumeMounts(mounts)
                .withReadinessProbe(probe(p, ProxySQLNames.MYSQL_PORT))
                .withLivenessProbe(probe(p, ProxySQLNames.ADMIN_PORT))
                .withSecurityContext(containerSecurity(base.getSecurityContext(), runAsUser))
                .withLifecycle(base.getLifecycle() != null ? base.getLifecycle() : drain())
                .build();
    }

    /** Clients, admin, and the metrics port when ProxySQL serves its own metrics (see ServiceFactory#servesOwnMetrics). */
    private static List<ContainerPort> proxysqlPorts(ProxySQL p, Inputs in) {
        List<ContainerPort> ports = new ArrayList<>(List.of(
                new ContainerPortBuilder().withName("db").withContainerPort(ProxySQLNames.MYSQL_PORT).withProtocol("TCP").build(),
                new ContainerPortBuilder().withName("admin").withContainerPort(ProxySQLNames.ADMIN_PORT).withProtocol("TCP").build()));
        if (Monitoring.servesOwnMetrics(p, in.version())) {
            ports.add(new ContainerPortBuilder().withName("metrics").withContainerPort(ProxySQLNames.METRICS_PORT).withProtocol("TCP").build());
        }
        return ports;
    }

    /**
     * Links ProxySQL's fixed datadir certificate files to the mounted server certificate Secret (see {@link TlsLayout});
     * it runs the ProxySQL image's shell, so it needs no other image.
     */
    private static Container tlsFilesContainer(Inputs in, long runAsUser) {
        return new ContainerBuilder()
                .withName(TlsLayout.INIT_CONTAINER)
                .withImage(in.version().getSpec().getProxysql().getImage())
                .withCommand("sh", "-c", TlsLayout.linkScript(ProxySQLNames.DATA_MOUNT, TlsLayout.SERVER_MOUNT))
                .withVolumeMounts(new VolumeMountBuilder().withName(DATA_VOLUME).withMountPath(ProxySQLNames.DATA_MOUNT).build(), tlsMount())
                .withSecurityContext(containerSecurity(null, runAsUser))
                .build();
    }

    private static VolumeMount tlsMount() {
        return new VolumeMountBuilder().withName(TlsLayout.VOLUME).withMountPath(TlsLayout.SERVER_MOUNT).withReadOnly(true).build();
    }

    private static Container exporterContainer(Inputs in, Container user, long runAsUser) {
        Container base = user == null ? new Container() : user;
        return new ContainerBuilder(base)
                .withName(ProxySQLNames.EXPORTER_CONTAINER)
                .withImage(in.version().getSpec().getExporter().getImage())
                .withArgs("--web.listen-address=:" + ProxySQLNames.METRICS_PORT)
                // admin:admin only works from inside the pod, which is where the exporter runs.
                .withEnv(new EnvVarBuilder().withName("DATA_SOURCE_NAME")
                        .withValue("admin:admin@tcp(127.0.0.1:" + ProxySQLNames.ADMIN_PORT + ")/").build())
                .withPorts(new ContainerPortBuilder().withName("metrics").withContainerPort(ProxySQLNames.METRICS_PORT).withProtocol("TCP").build())
                .withSecurityContext(containerSecurity(base.getSecurityContext(), runAsUser))
                .build();
    }

    /**
     * What KubeDB's image entrypoint reads to wait for the backend ({@code SELECT 1} as the monitor user) before it
     * prints the running configuration.
     *
     * <p>{@code FRONTEND_TLS_ENABLED} is always {@code false}, also with {@code spec.tls}: to KubeDB's entrypoint (and
     * hack/images' one) {@code true} means "copy the server certificate from /var/lib/frontend/server into the
     * datadir". The operator lays the datadir files out itself, as links to its own mount ({@link TlsLayout}), which a
     * copy would defeat (a rotated certificate would never reach {@code PROXYSQL RELOAD TLS}); and with {@code true}
     * the image's copy of files that are not there made every TLS pod exit at start (make e2e, on real pods).
     */
    private static List<EnvVar> backendEnv(Inputs in) {
        List<EnvVar> env = new ArrayList<>();
        env.add(new EnvVarBuilder().withName("BACKEND_SERVER").withValue(in.backend().host()).build());
        env.add(new EnvVarBuilder().withName("BACKEND_PORT").withValue(String.valueOf(in.backend().port())).build());
        env.add(new EnvVarBuilder().withName("BACKEND_AUTH_USERNAME").withNewValueFrom().withNewSecretKeyRef()
                .withName(in.monitorSecretName()).withKey("username").endSecretKeyRef().endValueFrom().build());
        env.add(new EnvVarBuilder().withName("BACKEND_AUTH_PASSWORD").withNewValueFrom().withNewSecretKeyRef()
                .withName(in.monitorSecretName()).withKey("password").endSecretKeyRef().endValueFrom().build());
        env.add(new EnvVarBuilder().withName("BACKEND_TLS_ENABLED").withValue(String.valueOf(in.backendTls())).build());
        env.add(new EnvVarBuilder().withName("FRONTEND_TLS_ENABLED").withValue("false").build());
        if (in.backendVersion() != null) {
            env.add(new EnvVarBuilder().withName("MYSQL_VERSION").withValue(in.backendVersion()).build());
        }
        return env;
    }

    private static Probe probe(ProxySQL p, int port) {
        var hc = p.getSpec().getHealthChecker();
        int period = hc != null && hc.getPeriodSeconds() != null ? hc.getPeriodSeconds() : 10;
        int timeout = hc != null && hc.getTimeoutSeconds() != null ? hc.getTimeoutSeconds() : 10;
        return new ProbeBuilder()
                .withNewTcpSocket().withPort(new IntOrString(port)).endTcpSocket()
                .withPeriodSeconds(period)
                .withTimeoutSeconds(timeout)
                .withFailureThreshold(3)
                .build();
    }

    private static List<Volume> volumes(ProxySQL p, Inputs in, List<Volume> user) {
        List<Volume> volumes = new ArrayList<>();
        volumes.add(new VolumeBuilder().withName(DATA_VOLUME).withNewEmptyDir().endEmptyDir().build());
        volumes.add(new VolumeBuilder().withName(CONFIG_VOLUME).withNewSecret()
                .withSecretName(ProxySQLNames.configSecret(p)).withDefaultMode(0440).endSecret().build());
        if (TlsLayout.enabled(p)) {
            volumes.add(new VolumeBuilder().withName(TlsLayout.VOLUME).withNewSecret()
                    .withSecretName(TlsLayout.certSecret(p, TlsLayout.SERVER)).withDefaultMode(0440).endSecret().build());
        }
        if (in.backendTls()) {
            volumes.add(new VolumeBuilder().withName(TlsLayout.BACKEND_VOLUME).withNewSecret()
                    .withSecretName(in.backendTlsSecret()).withDefaultMode(0440).endSecret().build());
        }
        if (user != null) {
            user.stream().filter(v -> !DATA_VOLUME.equals(v.getName()) && !CONFIG_VOLUME.equals(v.getName())
                    && !TlsLayout.VOLUME.equals(v.getName()) && !TlsLayout.BACKEND_VOLUME.equals(v.getName())).forEach(volumes::add);
        }
        return volumes;
    }

    private static PodSecurityContext podSecurity(PodSecurityContext user, long runAsUser) {
        PodSecurityContext sc = user == null ? new PodSecurityContext() : user;
        if (sc.getRunAsNonRoot() == null) {
            sc.setRunAsNonRoot(true);
        }
        if (sc.getRunAsUser() == null) {
            sc.setRunAsUser(runAsUser);
        }
        if (sc.getRunAsGroup() == null) {
            sc.setRunAsGroup(runAsUser);
        }
        if (sc.getFsGroup() == null) {
            sc.setFsGroup(runAsUser);
        }
        if (sc.getSeccompProfile() == null) {
            sc.setSeccompProfile(new SeccompProfileBuilder().withType("RuntimeDefault").build());
        }
        return sc;
    }

    private static SecurityContext containerSecurity(SecurityContext user, long runAsUser) {
        SecurityContext sc = user == null ? new SecurityContext() : user;
        if (sc.getAllowPrivilegeEscalation() == null) {
            sc.setAllowPrivilegeEscalation(false);
        }
        if (sc.getCapabilities() == null) {
            sc.setCapabilities(new io.fabric8.kubernetes.api.model.CapabilitiesBuilder().withDrop("ALL").build());
        }
        if (sc.getRunAsNonRoot() == null) {
            sc.setRunAsNonRoot(true);
        }
        if (sc.getRunAsUser() == null) {
            sc.setRunAsUser(runAsUser);
        }
        if (sc.getSeccompProfile() == null) {
            sc.setSeccompProfile(new SeccompProfileBuilder().withType("RuntimeDefault").build());
        }
        return sc;
    }

    private static long runAsUser(ProxySQLVersion version) {
        var sc = version.getSpec().getSecurityContext();
        return sc != null && sc.getRunAsUser() != null ? sc.getRunAsUser() : DEFAULT_RUN_AS_USER;
    }

}
