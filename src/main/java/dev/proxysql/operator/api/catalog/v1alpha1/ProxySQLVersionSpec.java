package dev.proxysql.operator.api.catalog.v1alpha1;

import dev.proxysql.operator.api.common.FreeFormObject;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Required;
import java.util.List;
import java.util.Map;

/** KubeDB's ProxySQLVersionSpec. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProxySQLVersionSpec {
    /** The version ProxySQL reports, with the distribution suffix (e.g. 2.6.3-debian); compared as semver. */
    @Required
    private String version;
    private Boolean endOfLife;
    @Required
    private ImageSpec proxysql;
    private ImageSpec exporter;
    /** Usable by existing objects but not for new deployments or as an update target. */
    private Boolean deprecated;
    @Required
    private PodSecurityPolicies podSecurityPolicies;
    private UpdateConstraints updateConstraints;
    private SecurityContext securityContext;
    private List<ChartInfo> ui;

    /** A container image. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class ImageSpec {
        @Required
        private String image;

        public ImageSpec() {
        }

        public ImageSpec(String image) {
            this.image = image;
        }

        public String getImage() {
            return image;
        }


        public void setImage(String image) {
            this.image = image;
        }
    }

    /** Kept for compatibility; PodSecurityPolicy no longer exists in Kubernetes. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class PodSecurityPolicies {
        @Required
        private String databasePolicyName;

        public String getDatabasePolicyName() {
            return databasePolicyName;
        }


        public void setDatabasePolicyName(String databasePolicyName) {
            this.databasePolicyName = databasePolicyName;
        }
    }

    /**
     * Semver constraint strings (Masterminds semver v3 syntax) on the target's {@code spec.version}. An empty
     * allowlist allows every version the denylist does not deny.
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public static class UpdateConstraints {
        private List<String> allowlist;
        private List<String> denylist;

        public List<String> getAllowlist() {
            return allowlist;
        }


        public void setAllowlist(List<String> allowlist) {
            this.allowlist = allowlist;
        }

        public List<String> getDenylist() {
            return denylist;
        }


        public void setDenylist(List<String> denylist) {
            this.denylist = denylist;
        }
    }

    /** The user the ProxySQL image runs as. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class SecurityContext {
        private Long runAsUser;

        public Long getRunAsUser() {
            return runAsUser;
        }


        public void setRunAsUser(Long runAsUser) {
            this.runAsUser = runAsUser;
        }
    }

    /** A UI chart offered with this version; accepted and kept. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class ChartInfo {
        private String name;
        private String version;
        private Boolean disable;
        @SchemaFrom(type = FreeFormObject.class)
        private Map<String, Object> values;

        public String getName() {
            return name;
        }


        public void setName(String name) {
            this.name = name;
        }

        public String getVersion() {
            return version;
        }


        public void setVersion(String version) {
            this.version = version;
        }

        public Boolean getDisable() {
            return disable;
        }


        public void setDisable(Boolean disable) {
            this.disable = disable;
        }

        public Map<String, Object> getValues() {
            return values;
        }


        public void setValues(Map<String, Object> values) {
            this.values = values;
        }
    }

    public String getVersion() {
        return version;
    }


    public void setVersion(String version) {
        this.version = version;
    }

    public Boolean getEndOfLife() {
        return endOfLife;
    }


    public void setEndOfLife(Boolean endOfLife) {
        this.endOfLife = endOfLife;
    }

    public ImageSpec getProxysql() {
        return proxysql;
    }


    public void setProxysql(ImageSpec proxysql) {
        this.proxysql = proxysql;
    }

    public ImageSpec getExporter() {
        return exporter;
    }


    public void setExporter(ImageSpec exporter) {
        this.exporter = exporter;
    }

    public Boolean getDeprecated() {
        return deprecated;
    }


    public void setDeprecated(Boolean deprecated) {
        this.deprecated = deprecated;
    }

    public PodSecurityPolicies getPodSecurityPolicies() {
        return podSecurityPolicies;
    }


    public void setPodSecurityPolicies(PodSecurityPolicies podSecurityPolicies) {
        this.podSecurityPolicies = podSecurityPolicies;
    }

    public UpdateConstraints getUpdateConstraints() {
        return updateConstraints;
    }


    public void setUpdateConstraints(UpdateConstraints updateConstraints) {
        this.updateConstraints = updateConstraints;
    }

    public SecurityContext getSecurityContext() {
        return securityContext;
    }


    public void setSecurityContext(SecurityContext securityContext) {
        this.securityContext = securityContext;
    }

    public List<ChartInfo> getUi() {
        return ui;
    }


    public void setUi(List<ChartInfo> ui) {
        this.ui = ui;
    }
}
