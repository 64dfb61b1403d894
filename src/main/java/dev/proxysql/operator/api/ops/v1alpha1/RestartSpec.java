package dev.proxysql.operator.api.ops.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Restart has no parameters; the empty object is kept for KubeDB compatibility. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RestartSpec {
}
