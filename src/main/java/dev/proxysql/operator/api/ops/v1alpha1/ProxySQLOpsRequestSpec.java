package dev.proxysql.operator.api.ops.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.proxysql.operator.api.common.LocalObjectReference;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * KubeDB's ProxySQLOpsRequestSpec. The API server enforces the static rules: the whole spec is immutable, and each
 * type needs its own block. Rules that need other objects (the ProxySQL and ProxySQLVersion exist, the update is
 * allowed) are checked by the validating webhook and again by the ops manager.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self == oldSelf",
        message = "spec is immutable: an ops request cannot be edited once created; create a new ProxySQLOpsRequest instead",
        reason = "FieldValueForbidden")
@ValidationRule(
        value = "self.type != 'UpdateVersion' || (has(self.updateVersion) && has(self.updateVersion.targetVersion)"
                + " && self.updateVersion.targetVersion != '')",
        message = "spec.updateVersion.targetVersion is required when spec.type is UpdateVersion: name the ProxySQLVersion to move to",
        fieldPath = ".updateVersion.targetVersion",
        reason = "FieldValueRequired")
@ValidationRule(
        value = "self.type != 'HorizontalScaling' || (has(self.horizontalScaling) && has(self.horizontalScaling.member))",
        message = "spec.horizontalScaling.member is required when spec.type is HorizontalScaling",
        fieldPath = ".horizontalScaling.member",
        reason = "FieldValueRequired")
@ValidationRule(
        value = "self.type != 'VerticalScaling' || has(self.verticalScaling)",
        message = "spec.verticalScaling is required when spec.type is VerticalScaling",
        fieldPath = ".verticalScaling",
        reason = "FieldValueRequired")
@ValidationRule(
        value = "self.type != 'Reconfigure' || has(self.configuration)",
        message = "spec.configuration is required when spec.type is Reconfigure",
        fieldPath = ".configuration",
        reason = "FieldValueRequired")
@ValidationRule(
        value = "self.type != 'ReconfigureTLS' || has(self.tls)",
        message = "spec.tls is required when spec.type is ReconfigureTLS",
        fieldPath = ".tls",
        reason = "FieldValueRequired")
public class ProxySQLOpsRequestSpec {
    /** The shortest {@code spec.timeout}. */
    public static final String MIN_TIMEOUT = "1s";
    /** The longest {@code spec.timeout}. */
    public static final String MAX_TIMEOUT = "24h";
    /** The most {@code spec.maxRetries}: each retry replaces a pod again and may wait a whole timeout. */
    public static final int MAX_RETRIES = 10;
    /** The ProxySQL to operate on, in the same namespace. */
    @Required
    private LocalObjectReference proxyRef;
    @Required
    private OpsRequestType type;
    private UpdateVersionSpec updateVersion;
    private HorizontalScalingSpec horizontalScaling;
    private VerticalScalingSpec verticalScaling;
    private ReconfigurationSpec configuration;
    private TLSSpec tls;
    private AuthenticationSpec authentication;
    private RestartSpec restart;
    /**
     * Upper bound for each step (for example one pod's replacement); Go duration syntax, e.g. 5m or 90s; from
     * {@value #MIN_TIMEOUT} to {@value #MAX_TIMEOUT}: 0s would fail every step at once, a longer one would keep the
     * ProxySQL paused for days behind a pod that never comes back. The whole request is also bounded by a deadline
     * computed from it when it leaves the queue (status.progress.deadline; docs/ops-manager.md, "Timeouts and retries").
     */
    @Pattern("^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$")
    @Size(max = 32)
    @ValidationRule(value = "duration(self) >= duration('" + MIN_TIMEOUT + "') && duration(self) <= duration('" + MAX_TIMEOUT + "')",
            message = "spec.timeout must be from " + MIN_TIMEOUT + " to " + MAX_TIMEOUT + " (each step of the request is bounded by it)",
            reason = "FieldValueInvalid")
    private String timeout;
    @Default("IfReady")
    private ApplyOption apply;
    /** How many times a failed step is retried before the request fails; at most {@value #MAX_RETRIES}. */
    @Default("1")
    @Min(0)
    @Max(MAX_RETRIES)
    private Integer maxRetries;

    public LocalObjectReference getProxyRef() {
        return proxyRef;
    }


    public void setProxyRef(LocalObjectReference proxyRef) {
        this.proxyRef = proxyRef;
    }

    public OpsRequestType getType() {
        return type;
    }


    public void setType(OpsRequestType type) {
        this.type = type;
    }

    public UpdateVersionSpec getUpdateVersion() {
        return updateVersion;
    }


    public void setUpdateVersion(UpdateVersionSpec updateVersion) {
        this.updateVersion = updateVersion;
    }

    public HorizontalScalingSpec getHorizontalScaling() {
        return horizontalScaling;
    }


    public void setHorizontalScaling(HorizontalScalingSpec horizontalScaling) {
        this.horizontalScaling = horizontalScaling;
    }

    public VerticalScalingSpec getVerticalScaling() {
        return verticalScaling;
    }


    public void setVerticalScaling(VerticalScalingSpec verticalScaling) {
        this.verticalScaling = verticalScaling;
    }

    public ReconfigurationSpec getConfiguration() {
        return configuration;
    }


    public void setConfiguration(ReconfigurationSpec configuration) {
        this.configuration = configuration;
    }

    public TLSSpec getTls() {
        return tls;
    }


    public void setTls(TLSSpec tls) {
        this.tls = tls;
    }

    public AuthenticationSpec getAuthentication() {
        return authentication;
    }


    public void setAuthentication(AuthenticationSpec authentication) {
        this.authentication = authentication;
    }

    public RestartSpec getRestart() {
        return restart;
    }


    public void setRestart(RestartSpec restart) {
        this.restart = restart;
    }

    public String getTimeout() {
        return timeout;
    }


    public void setTimeout(String timeout) {
        this.timeout = timeout;
    }

    public ApplyOption getApply() {
        return apply;
    }


    public void setApply(ApplyOption apply) {
        this.apply = apply;
    }

    public Integer getMaxRetries() {
        return maxRetries;
    }


    public void setMaxRetries(Integer maxRetries) {
        this.maxRetries = maxRetries;
    }
}
