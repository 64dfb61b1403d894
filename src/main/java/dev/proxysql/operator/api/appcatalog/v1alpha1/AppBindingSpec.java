package dev.proxysql.operator.api.appcatalog.v1alpha1;

import dev.proxysql.operator.api.common.FreeFormObject;
import dev.proxysql.operator.api.common.KeepsUnknownFields;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.proxysql.operator.api.common.LocalObjectReference;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

/** The AppBinding fields a ProxySQL backend needs; unknown fields are preserved. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@PreserveUnknownFields
public class AppBindingSpec extends KeepsUnknownFields {
    /** The kind of application, e.g. kubedb.com/mysql, kubedb.com/mariadb, perconaxtradb. */
    private String type;
    private String version;
    @Required
    private ClientConfig clientConfig;
    /** Secret with username and password keys that can read sys.* and mysql.user on the backend. */
    private LocalObjectReference secret;
    /** Secret with the CA (ca.crt) to verify the backend's TLS certificate. */
    private LocalObjectReference tlsSecret;
    @SchemaFrom(type = FreeFormObject.class)
    private Map<String, Object> parameters;

    /** Where the backend listens: a Service or a URL. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @PreserveUnknownFields
    @ValidationRule(value = "has(self.url) || has(self.service)",
            message = "spec.clientConfig needs either url or service")
    public static class ClientConfig extends KeepsUnknownFields {
        /** A port in the URL ({@code host:port}) is from 1 to 65535 (0, 65536 or 99999999999 is refused). */
        @Size(max = 2048)
        @ValidationRule(value = "!self.matches(':(0+|0*[1-9][0-9]{5,}|0*(6553[6-9]|655[4-9][0-9]|65[6-9][0-9]{2}|6[6-9][0-9]{3}|[7-9][0-9]{4}))([)/?]|$)')",
                message = "spec.clientConfig.url: the port must be from 1 to 65535", reason = "FieldValueInvalid")
        private String url;
        private ServiceReference service;
        private Boolean insecureSkipTLSVerify;
        private String caBundle;

        public String getUrl() {
            return url;
        }

        public void setUrl(String url) {
            this.url = url;
        }

        public ServiceReference getService() {
            return service;
        }

        public void setService(ServiceReference service) {
            this.service = service;
        }

        public Boolean getInsecureSkipTLSVerify() {
            return insecureSkipTLSVerify;
        }

        public void setInsecureSkipTLSVerify(Boolean insecureSkipTLSVerify) {
            this.insecureSkipTLSVerify = insecureSkipTLSVerify;
        }

        public String getCaBundle() {
            return caBundle;
        }

        public void setCaBundle(String caBundle) {
            this.caBundle = caBundle;
        }
    }

    /** A Service in the AppBinding's namespace. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @PreserveUnknownFields
    public static class ServiceReference extends KeepsUnknownFields {
        private String scheme;
        @Required
        private String name;
        @Min(1)
        @Max(65535)
        private Integer port;
        private String path;
        private String query;

        public String getScheme() {
            return scheme;
        }

        public void setScheme(String scheme) {
            this.scheme = scheme;
        }

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public Integer getPort() {
            return port;
        }

        public void setPort(Integer port) {
            this.port = port;
        }

        public String getPath() {
            return path;
        }

        public void setPath(String path) {
            this.path = path;
        }

        public String getQuery() {
            return query;
        }

        public void setQuery(String query) {
            this.query = query;
        }
    }

    public String getType() {
        return type;
    }

    public void setType(String type) {
        this.type = type;
    }

    public String getVersion() {
        return version;
    }

    public void setVersion(String version) {
        this.version = version;
    }

    public ClientConfig getClientConfig() {
        return clientConfig;
    }

    public void setClientConfig(ClientConfig clientConfig) {
        this.clientConfig = clientConfig;
    }

    public LocalObjectReference getSecret() {
        return secret;
    }

    public void setSecret(LocalObjectReference secret) {
        this.secret = secret;
    }

    public LocalObjectReference getTlsSecret() {
        return tlsSecret;
    }

    public void setTlsSecret(LocalObjectReference tlsSecret) {
        this.tlsSecret = tlsSecret;
    }

    public Map<String, Object> getParameters() {
        return parameters;
    }

    public void setParameters(Map<String, Object> parameters) {
        this.parameters = parameters;
    }
}
