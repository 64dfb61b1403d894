package dev.proxysql.operator.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestType;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.opsmanager.step.Operation.Validation;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class AdmissionReviewHandlerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DISALLOWED = "spec.updateVersion.targetVersion: upgrade from 2.6.3-debian to 3.0.1-debian is not "
            + "allowed: allowlist \">= 2.6.3-debian, <= 2.7.3-debian\"; allowed targets: 2.7.3-debian";

    /** A validator that answers as told and remembers what it was asked. */
    private static final class Scripted implements RequestValidator {
        final List<ProxySQLOpsRequest> seen = new ArrayList<>();
        final Function<ProxySQLOpsRequest, Validation> answer;

        Scripted(Function<ProxySQLOpsRequest, Validation> answer) {
            this.answer = answer;
        }

        @Override
        public Validation validate(ProxySQLOpsRequest request) {
            seen.add(request);
            return answer.apply(request);
        }

        @Override
        public boolean implemented(ProxySQLOpsRequest request) {
            return request.getSpec().getType() == OpsRequestType.UPDATE_VERSION || request.getSpec().getType() == OpsRequestType.RESTART;
        }
    }

    private static AdmissionReviewHandler handler(RequestValidator v) {
        return new AdmissionReviewHandler(v, new KubernetesSerialization());
    }

    private static ObjectNode review(String operation, String type, String target) {
        ObjectNode review = JSON.createObjectNode().put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
        ObjectNode request = review.putObject("request").put("uid", "705ab4f5-6393-11e8-b7cc-42010a800002")
                .put("operation", operation).put("namespace", "demo").put("name", "upgrade");
        request.putObject("kind").put("group", "ops.kubedb.com").put("version", "v1alpha1").put("kind", "ProxySQLOpsRequest");
        request.putObject("resource").put("group", "ops.kubedb.com").put("version", "v1alpha1").put("resource", "proxysqlopsrequests");
        request.putObject("userInfo").put("username", "alice");
        ObjectNode object = request.putObject("object").put("apiVersion", "ops.kubedb.com/v1alpha1").put("kind", "ProxySQLOpsRequest");
        object.putObject("metadata").put("name", "upgrade");
        ObjectNode spec = object.putObject("spec").put("type", type);
        spec.putObject("proxyRef").put("name", "px");
        if (target != null) {
            spec.putObject("updateVersion").put("targetVersion", target);
        }
        return review;
    }

    private static AdmissionReviewHandler.Reply post(AdmissionReviewHandler h, JsonNode review) {
        return h.handle("POST", "application/json", stream(review.toString()));
    }

    private static InputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode response(AdmissionReviewHandler.Reply reply) throws Exception {
        assertThat(reply.status()).as(reply.bodyText()).isEqualTo(200);
        assertThat(reply.contentType()).isEqualTo("application/json");
        JsonNode review = JSON.readTree(reply.body());
        assertThat(review.path("apiVersion").asText()).isEqualTo("admission.k8s.io/v1");
        assertThat(review.path("kind").asText()).isEqualTo("AdmissionReview");
        assertThat(review.path("response").path("uid").asText()).isEqualTo("705ab4f5-6393-11e8-b7cc-42010a800002");
        return review.path("response");
    }

    @Test
    void anAllowedUpdateIsAdmittedWithoutStatusOrWarnings() throws Exception {
        Scripted v = new Scripted(r -> Validation.run());
        JsonNode response = response(post(handler(v), review("CREATE", "UpdateVersion", "2.7.3-debian")));
        assertThat(response.path("allowed").asBoolean()).isTrue();
        assertThat(response.has("status")).isFalse();
        assertThat(response.has("warnings")).isFalse();
        assertThat(v.seen).singleElement().satisfies(r -> {
            assertThat(r.getSpec().getUpdateVersion().getTargetVersion()).isEqualTo("2.7.3-debian");
            assertThat(r.getMetadata().getNamespace()).as("taken from request.namespace").isEqualTo("demo");
        });
    }

    @Test
    void aRefusalAboutTheRotateAuthSecretQuotesNothingFoundInIt() throws Exception {
        String found = "spec.authentication.secretRef.name: Secret \"root-user\": username must be \"cluster\" (KubeDB's ProxySQL"
                + " cluster user), not \"root\"";
        JsonNode response = response(post(handler(new Scripted(r -> Validation.reject(found))), review("CREATE", "RotateAuth", null)));
        assertThat(response.path("status").path("message").asText()).isEqualTo("spec.authentication.secretRef.name: Secret"
                + " \"root-user\": username must be \"cluster\" (KubeDB's ProxySQL cluster user)");
        assertThat(AdmissionReviewHandler.withoutSecretContent(DISALLOWED)).as("other messages unchanged").isEqualTo(DISALLOWED);
    }

    /** Without client authentication anyone could post it: the Secret is not looked at, the controller checks later. */
    @Test
    void anUnauthenticatedCallerGetsNoAnswerThatDependsOnASecret() throws Exception {
        Scripted v = new Scripted(r -> Validation.reject("spec.authentication.secretRef.name: Secret \"s\" does not exist"));
        AdmissionReviewHandler unauthenticated = new AdmissionReviewHandler(v, new KubernetesSerialization(), false);
        JsonNode response = response(post(unauthenticated, review("CREATE", "RotateAuth", null)));
        assertThat(response.path("allowed").asBoolean()).isTrue();
        assertThat(response.path("warnings").get(0).asText()).isEqualTo(AdmissionReviewHandler.SECRET_RULES_LEFT_TO_THE_CONTROLLER);
        assertThat(v.seen).as("not validated").isEmpty();
        assertThat(response(post(unauthenticated, review("CREATE", "UpdateVersion", "2.7.3-debian"))).path("allowed").asBoolean())
                .as("other types are validated").isFalse();
        assertThat(v.seen).hasSize(1);
    }

    @Test
    void aReconfigureLargerThanItsStatusCanHoldIsDeniedNamingTheField() throws Exception {
        Scripted v = new Scripted(r -> Validation.run());
        ObjectNode big = review("CREATE", "Reconfigure", null);
        ObjectNode configuration = ((ObjectNode) big.path("request").path("object").path("spec")).putObject("configuration");
        configuration.putObject("mysqlVariables").put("max_connections", 2048).put("init_connect", "x".repeat(1025));
        JsonNode response = response(post(handler(v), big));
        assertThat(response.path("status").path("code").asInt()).isEqualTo(422);
        assertThat(response.path("status").path("message").asText()).startsWith("spec.configuration.mysqlVariables.init_connect: a value"
                + " of 1025 characters; at most 1024");
        configuration.remove("mysqlVariables");
        ObjectNode rule = configuration.putObject("mysqlQueryRules").put("reqType", "add").putArray("rules").addObject();
        rule.put("rule_id", 1).put("match_digest", "y".repeat(4096));
        assertThat(response(post(handler(v), big)).path("status").path("message").asText())
                .startsWith("spec.configuration.mysqlQueryRules.rules[0]: 4116 characters of column names and values; at most 4096");
        assertThat(v.seen).as("not validated further").isEmpty();
    }

    @Test
    void aForbiddenUpdateIsDeniedWith403NamingTheFieldAndTheAllowlist() throws Exception {
        JsonNode response = response(post(handler(new Scripted(r -> Validation.forbid(DISALLOWED))),
                review("CREATE", "UpdateVersion", "3.0.1-debian")));
        assertThat(response.path("allowed").asBoolean()).isFalse();
        JsonNode status = response.path("status");
        assertThat(status.path("status").asText()).isEqualTo("Failure");
        assertThat(status.path("code").asInt()).isEqualTo(403);
        assertThat(status.path("reason").asText()).isEqualTo("Forbidden");
        assertThat(status.path("message").asText()).isEqualTo(DISALLOWED).startsWith("spec.updateVersion.targetVersion: ");
    }

    @Test
    void aMissingProxySQLIsDeniedWith422NamingProxyRef() throws Exception {
        String message = "spec.proxyRef.name: ProxySQL \"px\" does not exist in namespace demo";
        JsonNode response = response(post(handler(new Scripted(r -> Validation.reject(message))), review("CREATE", "Restart", null)));
        assertThat(response.path("allowed").asBoolean()).isFalse();
        assertThat(response.path("status").path("code").asInt()).isEqualTo(422);
        assertThat(response.path("status").path("reason").asText()).isEqualTo("Invalid");
        assertThat(response.path("status").path("message").asText()).isEqualTo(message);
    }

    @Test
    void nothingToDoIsAdmittedWithAWarning() throws Exception {
        String message = "ProxySQL px already runs 2.6.3-debian: nothing to update, no pod restarted";
        JsonNode response = response(post(handler(new Scripted(r -> Validation.nothingToDo(message))),
                review("CREATE", "UpdateVersion", "2.6.3-debian")));
        assertThat(response.path("allowed").asBoolean()).isTrue();
        assertThat(response.path("warnings")).extracting(JsonNode::asText).containsExactly(message);
    }

    @Test
    void aTypeTheOperatorDoesNotImplementIsAdmittedWithAWarning() throws Exception {
        ObjectNode review = review("CREATE", "HorizontalScaling", null);
        ((ObjectNode) review.at("/request/object/spec")).putObject("horizontalScaling").put("member", 5);
        JsonNode response = response(post(handler(new Scripted(r -> Validation.run())), review));
        assertThat(response.path("allowed").asBoolean()).isTrue();
        assertThat(response.path("warnings").get(0).asText()).startsWith("spec.type: HorizontalScaling is not supported by this operator yet")
                .contains("will end Failed");
    }

    @Test
    void otherOperationsAndKindsAreAdmittedUnchecked() throws Exception {
        Scripted v = new Scripted(r -> Validation.forbid("must not be asked"));
        assertThat(response(post(handler(v), review("UPDATE", "UpdateVersion", "3.0.1-debian"))).path("allowed").asBoolean()).isTrue();
        ObjectNode otherKind = review("CREATE", "UpdateVersion", "3.0.1-debian");
        ((ObjectNode) otherKind.at("/request/kind")).put("kind", "MySQLOpsRequest");
        assertThat(response(post(handler(v), otherKind)).path("allowed").asBoolean()).isTrue();
        assertThat(v.seen).isEmpty();
    }

    @Test
    void malformedReviewsAreRefusedWithAClearReasonAndNoEchoOfTheBody() {
        AdmissionReviewHandler h = handler(new Scripted(r -> Validation.run()));
        AdmissionReviewHandler.Reply notJson = h.handle("POST", "application/json", stream("{\"password\": hunter2-secret"));
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.bodyText()).startsWith("malformed AdmissionReview: not valid JSON (line 1, column").doesNotContain("hunter2");

        ObjectNode v1beta1 = review("CREATE", "UpdateVersion", "2.7.3-debian").put("apiVersion", "admission.k8s.io/v1beta1");
        assertThat(post(h, v1beta1).status()).isEqualTo(400);
        assertThat(post(h, v1beta1).bodyText()).contains("expected apiVersion admission.k8s.io/v1").contains("admissionReviewVersions: [v1]");

        ObjectNode noRequest = review("CREATE", "UpdateVersion", "2.7.3-debian");
        noRequest.remove("request");
        assertThat(post(h, noRequest).bodyText()).contains("request is missing");

        ObjectNode noUid = review("CREATE", "UpdateVersion", "2.7.3-debian");
        ((ObjectNode) noUid.get("request")).remove("uid");
        assertThat(post(h, noUid).status()).isEqualTo(400);
        assertThat(post(h, noUid).bodyText()).contains("request.uid is missing");

        ObjectNode noObject = review("CREATE", "UpdateVersion", "2.7.3-debian");
        ((ObjectNode) noObject.get("request")).remove("object");
        assertThat(post(h, noObject).bodyText()).contains("request.object is missing");

        assertThat(h.handle("POST", "application/json", stream("[1,2]")).bodyText()).contains("expected a JSON object");
        assertThat(h.handle("GET", null, stream("")).status()).isEqualTo(405);
        assertThat(h.handle("POST", "application/x-www-form-urlencoded", stream("a=b")).status()).isEqualTo(415);
        assertThat(post(h, review("CREATE", "UpdateVersion", "2.7.3-debian")).status()).as("charset parameter is fine").isEqualTo(200);
        assertThat(h.handle("POST", "application/json; charset=utf-8", stream(review("CREATE", "Restart", null).toString())).status())
                .isEqualTo(200);
    }

    @Test
    void anObjectThatIsNotAReadableOpsRequestIsDeniedNamingTheFieldNotItsValue() throws Exception {
        ObjectNode review = review("CREATE", "UpdateVersion", "2.7.3-debian");
        ((ObjectNode) review.at("/request/object/spec")).putObject("maxRetries").put("secret", "s3cr3t");
        JsonNode response = response(post(handler(new Scripted(r -> Validation.run())), review));
        assertThat(response.path("allowed").asBoolean()).isFalse();
        assertThat(response.path("status").path("code").asInt()).isEqualTo(400);
        assertThat(response.path("status").path("message").asText())
                .isEqualTo("request.object is not a readable ProxySQLOpsRequest: cannot read field spec.maxRetries").doesNotContain("s3cr3t");
    }

    @Test
    void aBodyOverTheLimitIsRefusedWithoutReadingItAll() {
        byte[] big = new byte[AdmissionReviewHandler.MAX_BODY_BYTES + 1024];
        java.util.Arrays.fill(big, (byte) ' ');
        CountingStream in = new CountingStream(big);
        AdmissionReviewHandler.Reply reply = handler(new Scripted(r -> Validation.run())).handle("POST", "application/json", in);
        assertThat(reply.status()).isEqualTo(413);
        assertThat(in.read).isEqualTo(AdmissionReviewHandler.MAX_BODY_BYTES + 1);
    }

    @Test
    void aValidationThatCannotRunIsAServerErrorSoTheFailurePolicyApplies() {
        AdmissionReviewHandler.Reply reply = post(handler(new Scripted(r -> {
            throw new IllegalStateException("connection refused to https://10.0.0.1 token=abc");
        })), review("CREATE", "UpdateVersion", "2.7.3-debian"));
        assertThat(reply.status()).isEqualTo(500);
        assertThat(reply.bodyText()).contains("could not validate ProxySQLOpsRequest demo/upgrade").contains("IllegalStateException")
                .doesNotContain("token");
    }

    private static final class CountingStream extends ByteArrayInputStream {
        int read;

        CountingStream(byte[] bytes) {
            super(bytes);
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            int n = super.read(b, off, len);
            read += Math.max(n, 0);
            return n;
        }
    }
}
