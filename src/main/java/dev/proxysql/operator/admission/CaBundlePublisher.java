package dev.proxysql.operator.admission;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Puts the generated CA into {@code clientConfig.caBundle} of every webhook of the operator's
 * ValidatingWebhookConfiguration, with one strategic-merge PATCH (webhooks merge by name, so nothing else in the
 * object is touched and a concurrent edit is not overwritten). Needs RBAC: get and patch on
 * {@code validatingwebhookconfigurations} (resourceNames: the configuration's name).
 */
public final class CaBundlePublisher {
    static final String FIELD_MANAGER = "proxysql-operator-webhook";

    private CaBundlePublisher() {
    }

    /** What happened; {@code detail} is one line for the log. */
    public record Result(Outcome outcome, List<String> webhooks, String detail) {
    }

    public enum Outcome { PATCHED, NOT_FOUND, NO_WEBHOOKS, FAILED, SKIPPED }

    static Result publish(KubernetesClient client, String configurationName, String caPem) {
        var resource = client.admissionRegistration().v1().validatingWebhookConfigurations().withName(configurationName);
        try {
            ValidatingWebhookConfiguration existing = resource.get();
            if (existing == null) {
                return new Result(Outcome.NOT_FOUND, List.of(), "ValidatingWebhookConfiguration " + configurationName
                        + " does not exist, so no caBundle was set: the API server will not call this webhook (ProxySQLOpsRequests"
                        + " are then validated by the controller only). Install it and restart the operator, or pass"
                        + " --webhook-configuration-name");
            }
            List<String> names = existing.getWebhooks() == null ? List.of()
                    : existing.getWebhooks().stream().map(ValidatingWebhook::getName).toList();
            if (names.isEmpty()) {
                return new Result(Outcome.NO_WEBHOOKS, names, "ValidatingWebhookConfiguration " + configurationName + " has no webhooks");
            }
            resource.patch(new PatchContext.Builder().withPatchType(PatchType.STRATEGIC_MERGE).withFieldManager(FIELD_MANAGER).build(),
                    patch(names, caPem));
            return new Result(Outcome.PATCHED, names, "set caBundle of webhook(s) " + String.join(", ", names)
                    + " in ValidatingWebhookConfiguration " + configurationName);
        } catch (KubernetesClientException e) {
            return new Result(Outcome.FAILED, List.of(), "could not set the caBundle of ValidatingWebhookConfiguration "
                    + configurationName + " (HTTP " + e.getCode() + "): " + e.getMessage()
                    + (e.getCode() == 403 ? "; the operator needs get and patch on validatingwebhookconfigurations" : ""));
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
