package dev.proxysql.operator.api.kubedb.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.proxysql.operator.api.common.LocalObjectReference;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Desired state of a ProxySQL, field for field as in KubeDB's {@code kubedb.com/v1} ProxySQLSpec. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "has(self.backend) == has(oldSelf.backend) && (!has(self.backend) || self.backend.name == oldSelf.backend.name)",
        message = "spec.backend is immutable: a ProxySQL cannot be moved to another backend; create a new ProxySQL instead",
        fieldPath = ".backend",
        reason = "FieldValueForbidden")
@ValidationRule(
        value = "!has(self.initConfig) || !has(oldSelf.initConfig) || self.initConfig == oldSelf.initConfig",
        message = "spec.initConfig is immutable: it is applied only once, at initial deployment",
        fieldPath = ".initConfig",
        reason = "FieldValueForbidden")
public class ProxySQLSpec {
    private AutoOpsSpec autoOps;
    /** Fetch all users from the backend into ProxySQL and keep their passwords in sync. */
    @Default("false")
    private Boolean syncUsers;
    /** Deprecated: use {@code configuration.init.inline}. Honoured when that is not set. */
    private ProxySQLConfiguration initConfig;
    /** Deprecated: use {@code configuration.init.secretName}. Honoured when that is not set. */
    private LocalObjectReference configSecret;
    private ProxySQLConfigurationSpec configuration;
    /** Name of a ProxySQLVersion. */
    @Required
    @ValidationRule(value = "self != ''", message = "spec.version must name a ProxySQLVersion")
    private String version;
    /** Number of ProxySQL pods; more than one forms a ProxySQL Cluster. */
    @Default("1")
    @Min(1)
    @Max(50)
    private Integer replicas;
    /** Name of the AppBinding of the backend MySQL, MariaDB or Percona XtraDB server. */
    @Required
    private LocalObjectReference backend;
    private SecretReference authSecret;
    private AgentSpec monitor;
    private PodTemplateSpec podTemplate;
    private List<NamedServiceTemplateSpec> serviceTemplates;
    private TLSConfig tls;
    @Default("Delete")
    private DeletionPolicy deletionPolicy;
    private HealthCheckSpec healthChecker;
    /** Remove every running part (StatefulSet, Services, PodDisruptionBudget) but keep Secrets. */
    private Boolean halted;

    public AutoOpsSpec getAutoOps() {
        return autoOps;
    }

    public void setAutoOps(AutoOpsSpec autoOps) {
        this.autoOps = autoOps;
    }

    public Boolean getSyncUsers() {
        return syncUsers;
    }

    public void setSyncUsers(Boolean syncUsers) {
        this.syncUsers = syncUsers;
    }

    public ProxySQLConfiguration getInitConfig() {
        return initConfig;
    }

    public void setInitConfig(ProxySQLConfiguration initConfig) {
        this.initConfig = initConfig;
    }

    public LocalObjectReference getConfigSecret() {
        return configSecret;
    }

    public void setConfigSecret(LocalObjectReference configSecret) {
        this.configSecret = configSecret;
    }

    public ProxySQLConfigurationSpec getConfiguration() {
        return configuration;
    }

    public void setConfiguration(ProxySQLConfigurationSpec configuration) {
        this.configuration = configuration;
    }

    public String getVersion() {
        return version;
    }

    public void setVersion(String version) {
        this.version = version;
    }

    public Integer getReplicas() {
        return replicas;
    }

    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }

    public LocalObjectReference getBackend() {
        return backend;
    }

    public void setBackend(LocalObjectReference backend) {
        this.backend = backend;
    }

    public SecretReference getAuthSecret() {
        return authSecret;
    }

    public void setAuthSecret(SecretReference authSecret) {
        this.authSecret = authSecret;
    }

    public AgentSpec getMonitor() {
        return monitor;
    }

    public void setMonitor(AgentSpec monitor) {
        this.monitor = monitor;
    }

    public PodTemplateSpec getPodTemplate() {
        return podTemplate;
    }

    public void setPodTemplate(PodTemplateSpec podTemplate) {
        this.podTemplate = podTemplate;
    }

    public List<NamedServiceTemplateSpec> getServiceTemplates() {
        return serviceTemplates;
    }

    public void setServiceTemplates(List<NamedServiceTemplateSpec> serviceTemplates) {
        this.serviceTemplates = serviceTemplates;
    }

    public TLSConfig getTls() {
        return tls;
    }

    public void setTls(TLSConfig tls) {
        this.tls = tls;
    }

    public DeletionPolicy getDeletionPolicy() {
        return deletionPolicy;
    }

    public void setDeletionPolicy(DeletionPolicy deletionPolicy) {
        this.deletionPolicy = deletionPolicy;
    }

    public HealthCheckSpec getHealthChecker() {
        return healthChecker;
    }

    public void setHealthChecker(HealthCheckSpec healthChecker) {
        this.healthChecker = healthChecker;
    }

    public Boolean getHalted() {
        return halted;
    }

    public void setHalted(Boolean halted) {
        this.halted = halted;
    }
}
