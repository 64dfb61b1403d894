package dev.proxysql.operator.api.ops.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Required;

/**
 * Schema stand-in for one query rule of a Reconfigure request: any mysql_query_rules column is kept, and
 * {@code rule_id} is required because rules are added, updated and deleted by it. (A CEL rule cannot do this: it
 * cannot name a field of an object whose fields are all unknown.)
 */
@PreserveUnknownFields
public final class QueryRuleSchema {
    @Required
    @JsonProperty("rule_id")
    private Integer ruleId;

    private QueryRuleSchema() {
    }
}
