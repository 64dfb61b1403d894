package dev.proxysql.operator.opsmanager;

import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.kube.EnumNames;
import dev.proxysql.operator.opsmanager.step.Operation;
import dev.proxysql.operator.opsmanager.step.OpsType;
import dev.proxysql.operator.opsmanager.step.Operation.Validation;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;

/**
 * The read-only checks of a {@link ProxySQLOpsRequest} that need other objects, in one place for both callers: the
 * controller ({@link OpsStateMachine}, which fails the request with the message and touches nothing) and the
 * admission webhook ({@code dev.proxysql.operator.admission}, which denies the creation with the same message).
 * Static rules (enums, required blocks, immutability) are in the CRD schema and never reach this class.
 */
public final class OpsValidator {
    private final KubernetesClient client;
    private final Map<String, Operation> operations;

    /** @param operations the implemented types by {@code OpsRequestType.name()}, as the controller runs them */
    public OpsValidator(KubernetesClient client, Map<String, Operation> operations) {
        this.client = client;
        this.operations = Map.copyOf(operations);
    }

    /** The operations of {@code types}, by {@code OpsRequestType.name()}. */
    public static Map<String, Operation> operations(java.util.List<OpsType> types) {
        Map<String, Operation> ops = new java.util.LinkedHashMap<>();
        types.forEach(t -> ops.put(t.type().name(), t.operation()));
        return ops;
    }

    /** The implementation of the request's type, or null if this operator does not implement it (yet). */
    public Operation operation(ProxySQLOpsRequest r) {
        return r.getSpec() == null || r.getSpec().getType() == null ? null : operations.get(r.getSpec().getType().name());
    }

    /** Why a request of a type without an implementation cannot run (the controller fails it with this). */
    public static String unsupported(ProxySQLOpsRequest r) {
        return "spec.type: " + EnumNames.of(r.getSpec().getType()) + " is not supported by this operator yet";
    }

    /** The ProxySQL that {@code spec.proxyRef} names, in the request's namespace, or null. */
    public ProxySQL proxysql(ProxySQLOpsRequest r) {
        String name = proxyRefName(r);
        return name == null ? null
                : client.resources(ProxySQL.class).inNamespace(r.getMetadata().getNamespace()).withName(name).get();
    }

    /** Looks up the request's ProxySQL, then {@link #validate(ProxySQLOpsRequest, ProxySQL)}; for admission. */
    public Validation validate(ProxySQLOpsRequest r) {
        return validate(r, proxysql(r));
    }

    /**
     * Everything checked before anything is touched: {@code spec.proxyRef.name} names an existing ProxySQL, then the
     * type's own checks ({@link Operation#validate}). A type without an implementation passes here; the controller
     * refuses it with {@link #unsupported}.
     *
     * @param proxysql the request's ProxySQL as just read, null if it does not exist
     */
    public Validation validate(ProxySQLOpsRequest r, ProxySQL proxysql) {
        if (proxysql == null) {
            String name = proxyRefName(r);
            return Validation.reject(name == null ? "spec.proxyRef.name: required"
                    : "spec.proxyRef.name: ProxySQL \"" + name + "\" does not exist in namespace " + r.getMetadata().getNamespace());
        }
        Operation op = operation(r);
        return op == null ? Validation.run() : op.validate(r, proxysql);
    }

    private static String proxyRefName(ProxySQLOpsRequest r) {
        String name = r.getSpec() == null || r.getSpec().getProxyRef() == null ? null : r.getSpec().getProxyRef().getName();
        return name == null || name.isBlank() ? null : name;
    }
}
