package dev.proxysql.operator.api.kubedb.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

/**
 * The Secret holding the {@code cluster} admin user's credentials (KubeDB's SecretReference). When {@code name} is
 * empty the operator creates {@code <name>-auth}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretReference {
    private String secretStoreName;
    @Default("")
    private String apiGroup;
    @Default("Secret")
    private String kind;
    private String name;
    @Pattern("^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$")
    private String rotateAfter;
    private String activeFrom;
    private Boolean externallyManaged;

    public String getSecretStoreName() {
        return secretStoreName;
    }

    public void setSecretStoreName(String secretStoreName) {
        this.secretStoreName = secretStoreName;
    }

    public String getApiGroup() {
        return apiGroup;
    }

    public void setApiGroup(String apiGroup) {
        this.apiGroup = apiGroup;
    }

    public String getKind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getRotateAfter() {
        return rotateAfter;
    }

    public void setRotateAfter(String rotateAfter) {
        this.rotateAfter = rotateAfter;
    }

    public String getActiveFrom() {
        return activeFrom;
    }

    public void setActiveFrom(String activeFrom) {
        this.activeFrom = activeFrom;
    }

    public Boolean getExternallyManaged() {
        return externallyManaged;
    }

    public void setExternallyManaged(Boolean externallyManaged) {
        this.externallyManaged = externallyManaged;
    }
}
