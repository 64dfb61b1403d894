package dev.proxysql.operator.api.kubedb.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * A row of ProxySQL's mysql_users table, without a password: KubeDB reads passwords from the backend, so a user
 * listed here is configured once its password is known (see docs/configuration.md).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MySQLUser {
    /** Characters of a text column; a Reconfigure keeps the previous row in status, so rows are bounded. */
    public static final int MAX_TEXT = 1024;
    @Required
    @Size(min = 1, max = MAX_TEXT)
    private String username;
    private Integer active;
    @JsonProperty("use_ssl")
    private Integer useSsl;
    @JsonProperty("default_hostgroup")
    private Integer defaultHostgroup;
    @JsonProperty("default_schema")
    @Size(max = MAX_TEXT)
    private String defaultSchema;
    @JsonProperty("schema_locked")
    private Integer schemaLocked;
    @JsonProperty("transaction_persistent")
    private Integer transactionPersistent;
    @JsonProperty("fast_forward")
    private Integer fastForward;
    private Integer backend;
    private Integer frontend;
    @JsonProperty("max_connections")
    private Integer maxConnections;
    @Size(max = MAX_TEXT)
    private String attributes;
    @Size(max = MAX_TEXT)
    private String comment;

    public String getUsername() {
        return username;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public Integer getActive() {
        return active;
    }

    public void setActive(Integer active) {
        this.active = active;
    }

    public Integer getUseSsl() {
        return useSsl;
    }

    public void setUseSsl(Integer useSsl) {
        this.useSsl = useSsl;
    }

    public Integer getDefaultHostgroup() {
        return defaultHostgroup;
    }

    public void setDefaultHostgroup(Integer defaultHostgroup) {
        this.defaultHostgroup = defaultHostgroup;
    }

    public String getDefaultSchema() {
        return defaultSchema;
    }

    public void setDefaultSchema(String defaultSchema) {
        this.defaultSchema = defaultSchema;
    }

    public Integer getSchemaLocked() {
        return schemaLocked;
    }

    public void setSchemaLocked(Integer schemaLocked) {
        this.schemaLocked = schemaLocked;
    }

    public Integer getTransactionPersistent() {
        return transactionPersistent;
    }

    public void setTransactionPersistent(Integer transactionPersistent) {
        this.transactionPersistent = transactionPersistent;
    }

    public Integer getFastForward() {
        return fastForward;
    }

    public void setFastForward(Integer fastForward) {
        this.fastForward = fastForward;
    }

    public Integer getBackend() {
        return backend;
    }

    public void setBackend(Integer backend) {
        this.backend = backend;
    }

    public Integer getFrontend() {
        return frontend;
    }

    public void setFrontend(Integer frontend) {
        this.frontend = frontend;
    }

    public Integer getMaxConnections() {
        return maxConnections;
    }

    public void setMaxConnections(Integer maxConnections) {
        this.maxConnections = maxConnections;
    }

    public String getAttributes() {
        return attributes;
    }

    public void setAttributes(String attributes) {
        this.attributes = attributes;
    }

    public String getComment() {
        return comment;
    }

    public void setComment(String comment) {
        this.comment = comment;
    }
}
