package dev.proxysql.operator.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.proxysql.operator.admission.AdmissionReviewHandler.Reply;
import dev.proxysql.operator.opsmanager.queue.QueueStamp;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mutating webhook: on CREATE of a {@code ProxySQLOpsRequest} it sets the annotation {@value QueueStamp#ANNOTATION}
 * to the next {@link QueueStamp.Source} stamp with a JSONPatch, replacing any value the user gave (with a warning), so
 * that the queue orders requests created within one second by creation, and nobody can claim an earlier place by
 * writing the annotation. Changing the stamp afterwards is refused by the ValidatingAdmissionPolicy
 * {@code proxysql-queued-at} (deploy/policies), which works even while this webhook is down.
 *
 * <p>Anything else it is sent (other operations or kinds: a misconfigured rule) is admitted unchanged, and logged.
 * dryRun requests are stamped the same way: the stamp has no side effect beyond advancing the in-memory source.
 */
public final class QueueStampHandler {
    private static final Logger LOG = LoggerFactory.getLogger(QueueStampHandler.class);
    /** JSON Pointer escaping of the annotation's key ("/" becomes "~1"). */
    static final String POINTER = "/metadata/annotations/" + QueueStamp.ANNOTATION.replace("~", "~0").replace("/", "~1");

    private final QueueStamp.Source stamps;
    private final ObjectMapper json = new ObjectMapper();

    public QueueStampHandler(QueueStamp.Source stamps) {
        this.stamps = stamps;
    }

    public Reply handle(String method, String contentType, InputStream body) {
        AdmissionEnvelope.Read in = AdmissionEnvelope.read(method, contentType, body);
        return in.refusal() != null ? in.refusal() : review(in.uid(), in.request());
    }

    private Reply review(String uid, JsonNode request) {
        String operation = request.path("operation").asText("");
        String group = request.path("kind").path("group").asText("");
        String kind = request.path("kind").path("kind").asText("");
        if (!"CREATE".equals(operation) || !AdmissionReviewHandler.GROUP.equals(group) || !AdmissionReviewHandler.KIND.equals(kind)) {
            LOG.warn("queue stamp: {} of {}/{} admitted unchanged: this webhook stamps only CREATE of {}/{}; fix the rules of the "
                    + "MutatingWebhookConfiguration", operation, group, kind, AdmissionReviewHandler.GROUP, AdmissionReviewHandler.KIND);
            return AdmissionEnvelope.answer(uid, AdmissionEnvelope.allowed());
        }
        JsonNode metadata = request.path("object").path("metadata");
        if (!metadata.isObject()) {
            return Reply.text(400, "malformed AdmissionReview: request.object.metadata is missing for a CREATE");
        }
        JsonNode annotations = metadata.get("annotations");
        String stamp = QueueStamp.format(stamps.next());
        ArrayNode patch = json.createArrayNode();
        if (annotations == null || !annotations.isObject()) {
            patch.addObject().put("op", "add").put("path", "/metadata/annotations").putObject("value").put(QueueStamp.ANNOTATION, stamp);
        } else {
            patch.addObject().put("op", "add").put("path", POINTER).put("value", stamp); // "add" replaces an existing key
        }
        ObjectNode response = AdmissionEnvelope.allowed()
                .put("patchType", "JSONPatch")
                .put("patch", Base64.getEncoder().encodeToString(patch.toString().getBytes(StandardCharsets.UTF_8)));
        if (annotations != null && annotations.has(QueueStamp.ANNOTATION)) {
            response.putArray("warnings").add("metadata.annotations[" + QueueStamp.ANNOTATION + "] is set by the operator at creation "
                    + "(the request's place in its ProxySQL's queue): the value given was replaced by " + stamp);
        }
        LOG.debug("queue stamp: {}/{} queued at {}", request.path("namespace").asText(""), name(request, metadata), stamp);
        return AdmissionEnvelope.answer(uid, response);
    }

    private static String name(JsonNode request, JsonNode metadata) {
        String name = request.path("name").asText("");
        return !name.isEmpty() ? name : metadata.path("generateName").asText("") + "*";
    }
}
