package dev.proxysql.operator.admission;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * Puts the generated CA into {@code clientConfig.caBundle} of every webhook of the operator's Validating- or
 * MutatingWebhookConfiguration (both have the same name), with one strategic-merge PATCH each (webhooks merge by
 * name, so nothing else in the object is touched and a concurrent edit is not overwritten). Needs RBAC: get and patch
 * on {@code validatingwebhookconfigurations} and {@code mutatingwebhookconfigurations} (resourceNames: that name).
 */
public final class CaBundlePublisher {
    static final String FIELD_MANAGER = "proxysql-operator-webhook";

    private CaBundlePublisher() {
    }

    /** The two configurations the operator serves. */
    public enum Target {
        VALIDATING("ValidatingWebhookConfiguration", "validatingwebhookconfigurations"),
        MUTATING("MutatingWebhookConfiguration", "mutatingwebhookconfigurations");

        final String kind;
        final String resource;

        Target(String kind, String resource) {
            this.kind = kind;
            this.resource = resource;
        }
    }

    /** What happened; {@code detail} is one line for the log. */
    public record Result(Outcome outcome, List<String> webhooks, String detail) {
    }

    public enum Outcome { PATCHED, NOT_FOUND, NO_WEBHOOKS, FAILED, SKIPPED }

    static Result publish(KubernetesClient client, Target target, String configurationName, String caPem) {
        var v1 = client.admissionRegistration().v1();
        return switch (target) {
            case VALIDATING -> publish(v1.validatingWebhookConfigurations().withName(configurationName), target, configurationName, caPem,
                    (ValidatingWebhookConfiguration c) -> c.getWebhooks() == null ? List.of()
                            : c.getWebhooks().stream().map(ValidatingWebhook::getName).toList());
            case MUTATING -> publish(v1.mutatingWebhookConfigurations().withName(configurationName), target, configurationName, caPem,
                    (MutatingWebhookConfiguration c) -> c.getWebhooks() == null ? List.of()
                            : c.getWebhooks().stream().map(MutatingWebhook::getName).toList());
        };
    }

    private static <T> Result publish(Resource<T> resource, Target target, String configurationName, String caPem,
                                      Function<T, List<String>> webhookNames) {
        String what = target.kind + " " + configurationName;
        try {
            T existing = resource.get();
            if (existing == null) {
                return new Result(Outcome.NOT_FOUND, List.of(), what + " does not exist, so no caBundle was set: the API server will not"
                        + " call " + (target == Target.VALIDATING ? "this webhook (ProxySQLOpsRequests are then validated by the"
                        + " controller only)" : "this webhook (ProxySQLOpsRequests then get no queue stamp and are queued by"
                        + " creationTimestamp, then name)")
                        + ". Install it and restart the operator, or pass --webhook-configuration-name");
            }
            List<String> names = webhookNames.apply(existing);
            if (names.isEmpty()) {
                return new Result(Outcome.NO_WEBHOOKS, names, what + " has no webhooks");
            }
            resource.patch(new PatchContext.Builder().withPatchType(PatchType.STRATEGIC_MERGE).withFieldManager(FIELD_MANAGER).build(),
                    patch(names, caPem));
            return new Result(Outcome.PATCHED, names, "set caBundle of webhook(s) " + String.join(", ", names) + " in " + what);
        } catch (KubernetesClientException e) {
            return new Result(Outcome.FAILED, List.of(), "could not set the caBundle of " + what + " (HTTP " + e.getCode() + "): "
                    + e.getMessage() + (e.getCode() == 403 ? "; the operator needs get and patch on " + target.resource : ""));
        }
    }

    static String patch(List<String> webhookNames, String caPem) {
        String caBundle = Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.US_ASCII));
        ObjectMapper json = new ObjectMapper();
        ObjectNode patch = json.createObjectNode();
        ArrayNode webhooks = patch.putArray("webhooks");
        for (String name : webhookNames) {
            webhooks.addObject().put("name", name).putObject("clientConfig").put("caBundle", caBundle);
        }
        return patch.toString();
    }
}
