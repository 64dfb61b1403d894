package dev.proxysql.operator.admission;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.proxysql.operator.admission.AdmissionReviewHandler.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * The HTTP and {@code admission.k8s.io/v1} AdmissionReview framing that both webhooks (validating and mutating) share:
 * reading one request, refusing what is not a readable review with a plain-text reason that quotes none of the body,
 * and wrapping a response with the request's uid.
 */
final class AdmissionEnvelope {
    /** Larger than any AdmissionReview of a ProxySQLOpsRequest can be (objects are limited to about 1.5 MiB). */
    static final int MAX_BODY_BYTES = 3 * 1024 * 1024;
    static final String API_VERSION = "admission.k8s.io/v1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private AdmissionEnvelope() {
    }

    /** A review's {@code request} and uid, or the HTTP answer that refuses the body ({@code refusal} not null). */
    record Read(JsonNode request, String uid, Reply refusal) {
        static Read refused(int status, String message) {
            return new Read(null, null, Reply.text(status, message));
        }
    }

    /** Reads one HTTP request; {@code body} is read at most up to {@link #MAX_BODY_BYTES} (+1 to detect more). */
    static Read read(String method, String contentType, InputStream body) {
        if (!"POST".equals(method)) {
            return Read.refused(405, "method " + method + " not allowed: the API server POSTs AdmissionReviews");
        }
        if (contentType != null && !contentType.isBlank()
                && !contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT).equals("application/json")) {
            return Read.refused(415, "content type must be application/json (an admission.k8s.io/v1 AdmissionReview)");
        }
        byte[] bytes;
        try {
            bytes = body.readNBytes(MAX_BODY_BYTES + 1);
        } catch (IOException e) {
            return Read.refused(400, "could not read the request body: " + e.getClass().getSimpleName());
        }
        if (bytes.length > MAX_BODY_BYTES) {
            return Read.refused(413, "AdmissionReview larger than " + MAX_BODY_BYTES + " bytes refused");
        }
        return parse(bytes);
    }

    private static Read parse(byte[] body) {
        JsonNode review;
        try {
            review = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return Read.refused(400, "malformed AdmissionReview: not valid JSON" + where(e.getLocation()));
        } catch (IOException e) {
            return Read.refused(400, "could not read the request body: " + e.getClass().getSimpleName());
        }
        if (review == null || !review.isObject()) {
            return Read.refused(400, "malformed AdmissionReview: expected a JSON object");
        }
        String apiVersion = review.path("apiVersion").asText("");
        String kind = review.path("kind").asText("");
        if (!API_VERSION.equals(apiVersion) || !"AdmissionReview".equals(kind)) {
            return Read.refused(400, "malformed AdmissionReview: expected apiVersion " + API_VERSION + " and kind AdmissionReview, got "
                    + quoted(apiVersion) + " and " + quoted(kind) + " (set admissionReviewVersions: [v1] in the webhook configuration)");
        }
        JsonNode request = review.get("request");
        if (request == null || !request.isObject()) {
            return Read.refused(400, "malformed AdmissionReview: request is missing");
        }
        String uid = request.path("uid").asText("");
        if (uid.isBlank()) {
            return Read.refused(400, "malformed AdmissionReview: request.uid is missing");
        }
        return new Read(request, uid, null);
    }

    static ObjectNode allowed() {
        return JSON.createObjectNode().put("allowed", true);
    }

    /** The answer to the review {@code uid}: HTTP 200 with {@code response} (allowed, status, warnings, patch). */
    static Reply answer(String uid, ObjectNode response) {
        ObjectNode review = JSON.createObjectNode().put("apiVersion", API_VERSION).put("kind", "AdmissionReview");
        ObjectNode r = review.putObject("response").put("uid", uid);
        r.setAll(response);
        try {
            return new Reply(200, "application/json", JSON.writeValueAsBytes(review));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Where the JSON broke, without quoting any of it. */
    private static String where(JsonLocation location) {
        return location == null ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    private static String quoted(String s) {
        return s.isEmpty() ? "nothing" : "\"" + (s.length() > 64 ? s.substring(0, 64) + "..." : s) + "\"";
    }
}
