package dev.proxysql.operator.admission;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestType;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.opsmanager.step.Operation.Validation;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The validating webhook: turns one HTTP request carrying an {@code admission.k8s.io/v1} AdmissionReview into the
 * answer, independently of the HTTP server (so it is unit-tested without one); the framing is {@link AdmissionEnvelope}'s.
 *
 * <ul>
 *   <li>CREATE of a {@code ProxySQLOpsRequest}: the controller's own checks ({@link RequestValidator}). A refusal is
 *       HTTP 200 with {@code response.allowed=false} and {@code response.status} carrying the message (which names
 *       the field), code 422/reason Invalid or 403/reason Forbidden. "Nothing to do" is admitted with a warning, and
 *       so is a type the operator does not implement (the controller fails it).</li>
 *   <li>Any other operation or kind (a misconfigured rule): admitted, and logged.</li>
 *   <li>A request that is not a readable AdmissionReview: HTTP 400/405/413/415 with a plain-text reason; an error
 *       while validating (e.g. the API server did not answer): HTTP 500. The API server then applies the webhook's
 *       failure policy, and the controller checks again anyway.</li>
 * </ul>
 *
 * Nothing from the request body is logged or echoed except names: the object's namespace/name, its type, and the
 * validation message (which contains object names and versions only).
 */
public final class AdmissionReviewHandler {
    private static final Logger LOG = LoggerFactory.getLogger(AdmissionReviewHandler.class);
    /** Larger than any AdmissionReview of a ProxySQLOpsRequest can be (objects are limited to about 1.5 MiB). */
    public static final int MAX_BODY_BYTES = AdmissionEnvelope.MAX_BODY_BYTES;
    static final String GROUP = "ops.kubedb.com";
    static final String KIND = "ProxySQLOpsRequest";

    /** A quoted value at the end of a message about the RotateAuth Secret: what was found in the Secret. */
    private static final Pattern FOUND_VALUE = Pattern.compile(", not \"[^\"]*\"$");
    static final String SECRET_RULES_LEFT_TO_THE_CONTROLLER = "spec.authentication: not checked at admission, because this webhook"
            + " does not authenticate its caller (no --webhook-client-ca) and answers nothing that depends on a Secret; the operator"
            + " checks it before changing anything, and a refused request ends Failed";

    private final RequestValidator validator;
    private final KubernetesSerialization serialization;
    private final boolean callerAuthenticated;
    private final ObjectMapper json = new ObjectMapper();

    /** For a caller known to be the API server (the server checked its client certificate). */
    public AdmissionReviewHandler(RequestValidator validator, KubernetesSerialization serialization) {
        this(validator, serialization, true);
    }

    /**
     * {@code callerAuthenticated}: whether the server made sure the caller is the API server; if not, a review whose
     * answer depends on a Secret's content (RotateAuth's secretRef) is admitted with a warning instead of answered, so
     * that nobody who reaches the port can use the webhook to probe Secrets.
     */
    public AdmissionReviewHandler(RequestValidator validator, KubernetesSerialization serialization, boolean callerAuthenticated) {
        this.validator = validator;
        this.serialization = serialization;
        this.callerAuthenticated = callerAuthenticated;
    }

    /** The HTTP answer: status code, content type and body. */
    public record Reply(int status, String contentType, byte[] body) {
        static Reply text(int status, String message) {
            return new Reply(status, "text/plain; charset=utf-8", (message + "\n").getBytes(StandardCharsets.UTF_8));
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Handles one HTTP request; {@code body} is read at most up to {@link #MAX_BODY_BYTES} (+1 to detect more). */
    public Reply handle(String method, String contentType, InputStream body) {
        AdmissionEnvelope.Read in = AdmissionEnvelope.read(method, contentType, body);
        return in.refusal() != null ? in.refusal() : review(in.uid(), in.request());
    }

    /** Answers one AdmissionReview's request. */
    private Reply review(String uid, JsonNode request) {
        String operation = request.path("operation").asText("");
        JsonNode requestKind = request.path("kind");
        String group = requestKind.path("group").asText("");
        String kindName = requestKind.path("kind").asText("");
        if (!"CREATE".equals(operation)) {
            LOG.debug("admission {} {}/{} {}: allowed (only CREATE is checked)", operation, group, kindName, uid);
            return answer(uid, allowed(List.of()));
        }
        if (!GROUP.equals(group) || !KIND.equals(kindName)) {
            LOG.warn("admission CREATE of {}/{} allowed without checks: this webhook checks only {}/{}; fix the rules of the "
                    + "ValidatingWebhookConfiguration", group, kindName, GROUP, KIND);
            return answer(uid, allowed(List.of()));
        }
        JsonNode object = request.get("object");
        if (object == null || !object.isObject()) {
            return Reply.text(400, "malformed AdmissionReview: request.object is missing for a CREATE");
        }
        ProxySQLOpsRequest ops;
        try {
            ops = serialization.convertValue(object, ProxySQLOpsRequest.class);
        } catch (RuntimeException e) {
            String message = "request.object is not a readable ProxySQLOpsRequest" + field(e);
            LOG.info("admission CREATE {}: denied: {}", uid, message);
            return answer(uid, denied(400, "BadRequest", message));
        }
        if (ops.getMetadata() != null && ops.getMetadata().getNamespace() == null) {
            ops.getMetadata().setNamespace(request.path("namespace").asText(null));
        }
        String ref = name(ops);
        Optional<String> tooLarge = ops.getSpec() == null || ops.getSpec().getConfiguration() == null ? Optional.empty()
                : ops.getSpec().getConfiguration().sizeProblem();
        if (tooLarge.isPresent()) {
            LOG.info("admission CREATE ProxySQLOpsRequest {}: denied: {}", ref, tooLarge.get());
            return answer(uid, denied(422, "Invalid", tooLarge.get()));
        }
        if (!callerAuthenticated && ops.getSpec() != null && ops.getSpec().getType() == OpsRequestType.ROTATE_AUTH) {
            LOG.info("admission CREATE ProxySQLOpsRequest {}: allowed unchecked: {}", ref, SECRET_RULES_LEFT_TO_THE_CONTROLLER);
            return answer(uid, allowed(List.of(SECRET_RULES_LEFT_TO_THE_CONTROLLER)));
        }
        Validation v;
        try {
            v = validator.validate(ops);
        } catch (RuntimeException e) {
            // Not the request's fault: let the failure policy decide; the controller validates again later.
            LOG.error("admission CREATE ProxySQLOpsRequest {} ({}): validation could not run: {}", ref, uid, e.toString());
            return Reply.text(500, "could not validate ProxySQLOpsRequest " + ref + ": " + e.getClass().getSimpleName()
                    + "; the operator validates it again when it processes it");
        }
        ObjectNode response = switch (v.kind()) {
            case REJECT -> {
                boolean forbidden = v.refusal() == Validation.Refusal.FORBIDDEN;
                String message = withoutSecretContent(v.message());
                LOG.info("admission CREATE ProxySQLOpsRequest {}: denied: {}", ref, message);
                yield denied(forbidden ? 403 : 422, forbidden ? "Forbidden" : "Invalid", message);
            }
            case NOTHING_TO_DO -> {
                LOG.info("admission CREATE ProxySQLOpsRequest {}: allowed, nothing to do: {}", ref, v.message());
                yield allowed(List.of(v.message()));
            }
            case RUN -> {
                List<String> warnings = new ArrayList<>();
                if (!validator.implemented(ops)) {
                    warnings.add(validator.unsupported(ops) + ": the request will end Failed and nothing will be changed");
                }
                LOG.debug("admission CREATE ProxySQLOpsRequest {}: allowed", ref);
                yield allowed(warnings);
            }
        };
        return answer(uid, response);
    }

    /**
     * The message without what was found in the RotateAuth Secret: a refusal names the field and the rule, never a value
     * read from a Secret (the controller's message quotes the username it found: {@code ..., not "root"}).
     */
    static String withoutSecretContent(String message) {
        return message != null && message.startsWith("spec.authentication.secretRef") ? FOUND_VALUE.matcher(message).replaceFirst("") : message;
    }

    private ObjectNode allowed(List<String> warnings) {
        ObjectNode response = AdmissionEnvelope.allowed();
        if (!warnings.isEmpty()) {
            ArrayNode w = response.putArray("warnings");
            warnings.forEach(w::add);
        }
        return response;
    }

    private ObjectNode denied(int code, String reason, String message) {
        ObjectNode response = json.createObjectNode().put("allowed", false);
        response.putObject("status").put("status", "Failure").put("code", code).put("reason", reason).put("message", message);
        return response;
    }

    private static Reply answer(String uid, ObjectNode response) {
        return AdmissionEnvelope.answer(uid, response);
    }

    private static String name(ProxySQLOpsRequest r) {
        if (r.getMetadata() == null) {
            return "<no metadata>";
        }
        String name = r.getMetadata().getName() != null ? r.getMetadata().getName()
                : r.getMetadata().getGenerateName() != null ? r.getMetadata().getGenerateName() + "*" : "<unnamed>";
        return r.getMetadata().getNamespace() + "/" + name;
    }

    /** The path of the field that could not be read, without its value. */
    private static String field(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JsonMappingException m && !m.getPath().isEmpty()) {
                return ": cannot read field " + m.getPath().stream()
                        .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                        .collect(Collectors.joining(".")).replace(".[", "[");
            }
        }
        return "";
    }
}
