package dev.proxysql.operator.api.ops.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.proxysql.operator.api.common.TypedLocalObjectReference;

/** For RotateAuth: the Secret with the new credentials; without it the operator generates a password. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AuthenticationSpec {
    private TypedLocalObjectReference secretRef;

    public TypedLocalObjectReference getSecretRef() {
        return secretRef;
    }


    public void setSecretRef(TypedLocalObjectReference secretRef) {
        this.secretRef = secretRef;
    }
}
