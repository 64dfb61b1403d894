package dev.proxysql.operator.testing.cluster;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * A ValidatingAdmissionPolicy that makes the API server really refuse a write in one test namespace (403 with the
 * policy's message), for tests of what the operator does when it is refused. Policies take effect asynchronously:
 * tests wait until a server-side dry run of the refused write is refused before they rely on it.
 */
public final class AdmissionPolicies {
    private AdmissionPolicies() {
    }

    /**
     * Denies what {@code resourceRule} (one YAML flow mapping of {@code matchConstraints.resourceRules}) matches in
     * {@code namespace}, unless the CEL {@code expression} holds; returns the policy's name for {@link #remove}.
     */
    public static String deny(KubernetesClient client, String namespace, String name, String resourceRule, String expression,
                              String message) {
        return deny(client, namespace, name, resourceRule, expression, message, "Forbidden");
    }

    /**
     * {@link #deny(KubernetesClient, String, String, String, String, String)} refusing with {@code reason}: Forbidden
     * (403) or Invalid (422, as the API server refuses an object its schema rejects).
     */
    public static String deny(KubernetesClient client, String namespace, String name, String resourceRule, String expression,
                              String message, String reason) {
        client.resource(Serialization.unmarshal("""
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicy
                metadata: {name: %1$s}
                spec:
                  failurePolicy: Fail
                  matchConstraints:
                    resourceRules:
                    - %2$s
                  validations:
                  - expression: "%3$s"
                    message: %4$s
                    reason: %5$s
                """.formatted(name, resourceRule, expression, message, reason), ValidatingAdmissionPolicy.class)).create();
        client.resource(Serialization.unmarshal("""
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicyBinding
                metadata: {name: %1$s}
                spec:
                  policyName: %1$s
                  validationActions: [Deny]
                  matchResources:
                    namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: %2$s}}
                """.formatted(name, namespace), ValidatingAdmissionPolicyBinding.class)).create();
        return name;
    }

    public static void remove(KubernetesClient client, String name) {
        client.admissionRegistration().v1().validatingAdmissionPolicyBindings().withName(name).delete();
        client.admissionRegistration().v1().validatingAdmissionPolicies().withName(name).delete();
    }
}
