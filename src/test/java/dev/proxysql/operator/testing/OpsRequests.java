package dev.proxysql.operator.testing;

import dev.proxysql.operator.api.common.TypedLocalObjectReference;
import dev.proxysql.operator.api.ops.v1alpha1.ApplyOption;
import dev.proxysql.operator.api.ops.v1alpha1.AuthenticationSpec;
import dev.proxysql.operator.api.ops.v1alpha1.HorizontalScalingSpec;
import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestType;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequestSpec;
import dev.proxysql.operator.api.ops.v1alpha1.ReconfigurationSpec;
import dev.proxysql.operator.api.ops.v1alpha1.RestartSpec;
import dev.proxysql.operator.api.ops.v1alpha1.TLSSpec;
import dev.proxysql.operator.api.ops.v1alpha1.UpdateVersionSpec;
import dev.proxysql.operator.api.ops.v1alpha1.VerticalScalingSpec;
import dev.proxysql.operator.api.common.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;

/**
 * The one builder of {@link ProxySQLOpsRequest}s for tests: {@code OpsRequests.on("ns", "px").named("up")
 * .updateVersion("2.7.1-debian").timeout("2m").build()}. Each type's block sets the type with it; what a test does not
 * set stays unset, as in a manifest that leaves it out (the CRD's defaults apply).
 */
public final class OpsRequests {
    private final ProxySQLOpsRequest request = new ProxySQLOpsRequest();
    private final ProxySQLOpsRequestSpec spec = new ProxySQLOpsRequestSpec();

    private OpsRequests(String namespace, String proxysql) {
        request.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).build());
        spec.setProxyRef(proxysql == null ? null : new LocalObjectReference(proxysql));
        request.setSpec(spec);
    }

    /** A request in {@code namespace} on the ProxySQL {@code proxysql} (null: no proxyRef). */
    public static OpsRequests on(String namespace, String proxysql) {
        return new OpsRequests(namespace, proxysql);
    }

    public OpsRequests named(String name) {
        request.getMetadata().setName(name);
        return this;
    }

    public OpsRequests type(OpsRequestType type) {
        spec.setType(type);
        return this;
    }

    public OpsRequests timeout(String timeout) {
        spec.setTimeout(timeout);
        return this;
    }

    public OpsRequests maxRetries(Integer maxRetries) {
        spec.setMaxRetries(maxRetries);
        return this;
    }

    public OpsRequests apply(ApplyOption apply) {
        spec.setApply(apply);
        return this;
    }

    public OpsRequests updateVersion(String target) {
        UpdateVersionSpec u = new UpdateVersionSpec();
        u.setTargetVersion(target);
        spec.setUpdateVersion(u);
        return type(OpsRequestType.UPDATE_VERSION);
    }

    public OpsRequests restart() {
        spec.setRestart(new RestartSpec());
        return type(OpsRequestType.RESTART);
    }

    /** VerticalScaling giving the proxysql container {@code resources} (a ResourceRequirements as YAML; null: no resources). */
    public OpsRequests verticalScaling(String resources) {
        VerticalScalingSpec.PodResources pod = new VerticalScalingSpec.PodResources();
        if (resources != null) {
            @SuppressWarnings("unchecked")
            Map<String, Object> map = Serialization.unmarshal(resources, Map.class);
            pod.setResources(map);
        }
        VerticalScalingSpec v = new VerticalScalingSpec();
        v.setProxysql(pod);
        return verticalScaling(v);
    }

    /** VerticalScaling with its whole block (null: the block left out). */
    public OpsRequests verticalScaling(VerticalScalingSpec block) {
        spec.setVerticalScaling(block);
        return type(OpsRequestType.VERTICAL_SCALING);
    }

    /** Reconfigure; {@code configuration} is spec.configuration as YAML, in KubeDB's form. */
    public OpsRequests reconfigure(String configuration) {
        spec.setConfiguration(Serialization.unmarshal(configuration, ReconfigurationSpec.class));
        return type(OpsRequestType.RECONFIGURE);
    }

    /** HorizontalScaling to {@code member} replicas (null: the member left out). */
    public OpsRequests horizontalScaling(Integer member) {
        HorizontalScalingSpec h = new HorizontalScalingSpec();
        h.setMember(member);
        spec.setHorizontalScaling(h);
        return type(OpsRequestType.HORIZONTAL_SCALING);
    }

    /** ReconfigureTLS; {@code tls} is spec.tls as YAML, in KubeDB's form. */
    public OpsRequests reconfigureTls(String tls) {
        spec.setTls(Serialization.unmarshal(tls, TLSSpec.class));
        return type(OpsRequestType.RECONFIGURE_TLS);
    }

    /** RotateAuth; {@code secretRef}: the Secret with the new pair, or null for a generated password. */
    public OpsRequests rotateAuth(String secretRef) {
        if (secretRef != null) {
            AuthenticationSpec auth = new AuthenticationSpec();
            TypedLocalObjectReference ref = new TypedLocalObjectReference();
            ref.setName(secretRef);
            auth.setSecretRef(ref);
            spec.setAuthentication(auth);
        }
        return type(OpsRequestType.ROTATE_AUTH);
    }

    public ProxySQLOpsRequest build() {
        return request;
    }
}
