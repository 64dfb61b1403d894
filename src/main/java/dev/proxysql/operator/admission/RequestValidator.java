package dev.proxysql.operator.admission;

import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.opsmanager.OpsValidator;
import dev.proxysql.operator.opsmanager.step.Operation.Validation;

/** What the webhook asks of the controller's validation; an interface so the review handling is testable alone. */
public interface RequestValidator {

    /** The controller's checks (see {@link OpsValidator#validate(ProxySQLOpsRequest)}); reads the cluster. */
    Validation validate(ProxySQLOpsRequest request);

    /** Whether the operator implements the request's type; one it does not is admitted and failed by the controller. */
    boolean implemented(ProxySQLOpsRequest request);

    /** Why an unimplemented type will fail, as the controller says it. */
    default String unsupported(ProxySQLOpsRequest request) {
        return OpsValidator.unsupported(request);
    }

    /** The production validator: exactly the controller's. */
    static RequestValidator of(OpsValidator validator) {
        return new RequestValidator() {
            @Override
            public Validation validate(ProxySQLOpsRequest request) {
                return validator.validate(request);
            }

            @Override
            public boolean implemented(ProxySQLOpsRequest request) {
                return validator.operation(request) != null;
            }
        };
    }
}
