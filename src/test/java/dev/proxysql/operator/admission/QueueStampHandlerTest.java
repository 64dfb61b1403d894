package dev.proxysql.operator.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.proxysql.operator.opsmanager.queue.QueueStamp;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class QueueStampHandlerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String UID = "705ab4f5-6393-11e8-b7cc-42010a800002";
    private static final Instant NOW = Instant.parse("2026-12-05T09:00:00.123456Z");

    private final QueueStampHandler handler = new QueueStampHandler(new QueueStamp.Source(Clock.fixed(NOW, ZoneOffset.UTC)));

    private static ObjectNode review(String operation, String kind) {
        ObjectNode review = JSON.createObjectNode().put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
        ObjectNode request = review.putObject("request").put("uid", UID).put("operation", operation).put("namespace", "demo")
                .put("name", "upgrade");
        request.putObject("kind").put("group", "ops.kubedb.com").put("version", "v1alpha1").put("kind", kind);
        ObjectNode object = request.putObject("object").put("apiVersion", "ops.kubedb.com/v1alpha1").put("kind", kind);
        object.putObject("metadata").put("name", "upgrade");
        return review;
    }

    private JsonNode response(ObjectNode review) throws Exception {
        AdmissionReviewHandler.Reply reply = handler.handle("POST", "application/json",
                new ByteArrayInputStream(review.toString().getBytes(StandardCharsets.UTF_8)));
        assertThat(reply.status()).as(reply.bodyText()).isEqualTo(200);
        JsonNode answer = JSON.readTree(reply.body());
        assertThat(answer.path("apiVersion").asText()).isEqualTo("admission.k8s.io/v1");
        assertThat(answer.path("response").path("uid").asText()).isEqualTo(UID);
        assertThat(answer.path("response").path("allowed").asBoolean()).isTrue();
        return answer.path("response");
    }

    private static JsonNode patch(JsonNode response) throws Exception {
        assertThat(response.path("patchType").asText()).isEqualTo("JSONPatch");
        return JSON.readTree(Base64.getDecoder().decode(response.path("patch").asText()));
    }

    @Test
    void aCreateWithoutAnnotationsGetsTheAnnotationsObjectWithTheStamp() throws Exception {
        JsonNode response = response(review("CREATE", "ProxySQLOpsRequest"));
        assertThat(patch(response).toString()).isEqualTo("[{\"op\":\"add\",\"path\":\"/metadata/annotations\",\"value\":"
                + "{\"proxysql.dev/queued-at\":\"2026-12-05T09:00:00.123456000Z\"}}]");
        assertThat(response.has("warnings")).isFalse();
    }

    @Test
    void aUserSuppliedStampIsReplacedWithAWarningAndOtherAnnotationsAreKept() throws Exception {
        ObjectNode review = review("CREATE", "ProxySQLOpsRequest");
        ((ObjectNode) review.at("/request/object/metadata")).putObject("annotations")
                .put(QueueStamp.ANNOTATION, "1970-01-01T00:00:00.000000000Z").put("team", "db");
        JsonNode response = response(review);
        assertThat(patch(response).toString()).as("one key added (JSON Patch add replaces an existing member), '/' escaped")
                .isEqualTo("[{\"op\":\"add\",\"path\":\"/metadata/annotations/proxysql.dev~1queued-at\","
                        + "\"value\":\"2026-12-05T09:00:00.123456000Z\"}]");
        assertThat(response.path("warnings")).extracting(JsonNode::asText).singleElement().asString()
                .contains("metadata.annotations[proxysql.dev/queued-at] is set by the operator")
                .contains("replaced by 2026-12-05T09:00:00.123456000Z");
    }

    @Test
    void requestsReviewedInTheSameClockTickGetIncreasingStamps() throws Exception {
        String first = patch(response(review("CREATE", "ProxySQLOpsRequest"))).at("/0/value").path(QueueStamp.ANNOTATION).asText();
        String second = patch(response(review("CREATE", "ProxySQLOpsRequest"))).at("/0/value").path(QueueStamp.ANNOTATION).asText();
        assertThat(first).isEqualTo("2026-12-05T09:00:00.123456000Z").matches(QueueStamp.SHAPE);
        assertThat(second).isEqualTo("2026-12-05T09:00:00.123456001Z").matches(QueueStamp.SHAPE);
    }

    @Test
    void otherOperationsAndKindsAreAdmittedUnchanged() throws Exception {
        for (ObjectNode review : new ObjectNode[] {review("UPDATE", "ProxySQLOpsRequest"), review("CREATE", "MySQLOpsRequest")}) {
            JsonNode response = response(review);
            assertThat(response.has("patch")).isFalse();
            assertThat(response.has("patchType")).isFalse();
        }
    }

    @Test
    void malformedReviewsAreRefusedWithAClearReason() {
        ObjectNode noMetadata = review("CREATE", "ProxySQLOpsRequest");
        ((ObjectNode) noMetadata.at("/request/object")).remove("metadata");
        AdmissionReviewHandler.Reply reply = handler.handle("POST", "application/json",
                new ByteArrayInputStream(noMetadata.toString().getBytes(StandardCharsets.UTF_8)));
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.bodyText()).contains("request.object.metadata is missing");
        assertThat(handler.handle("GET", null, new ByteArrayInputStream(new byte[0])).status()).isEqualTo(405);
        assertThat(handler.handle("POST", "application/json", new ByteArrayInputStream("{".getBytes(StandardCharsets.UTF_8))).bodyText())
                .startsWith("malformed AdmissionReview: not valid JSON");
    }
}
