package dev.proxysql.operator.opsmanager.reconfiguretls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.kubedb.v1.TLSConfig;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.opsmanager.step.Operation.Validation;
import dev.proxysql.operator.testing.OperatorFixture;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

/** Which TLS change a request asks for, its refusals (each naming the field) and the spec.tls it leaves. */
class ReconfigureTlsOperationTest {
    private final ReconfigureTlsOperation op = new ReconfigureTlsOperation(null, null);
    private final ProxySQL plain = OperatorFixture.proxysql("ns", "px", "2.6.3-debian", 3);

    @Test
    void addOnAProxySqlWithoutTlsRunsAndSetsSpecTls() {
        ProxySQLOpsRequest add = request("issuerRef: {apiGroup: cert-manager.io, kind: Issuer, name: ca-issuer}");
        assertThat(op.validate(add, plain).kind()).isEqualTo(Validation.Kind.RUN);
        assertThat(ReconfigureTlsOperation.kind(add.getSpec().getTls(), plain)).isEqualTo(ReconfigureTlsOperation.Kind.ADD);
        assertThat(op.target(add, plain).getSpec().getTls().getIssuerRef().getName()).isEqualTo("ca-issuer");
        assertThat(plain.getSpec().getTls()).as("target works on a copy").isNull();
        ProxySQLOpsRequest ownCa = request("certificates: [{alias: server, subject: {organizations: [shop]}}]");
        assertThat(op.validate(ownCa, plain).kind()).isEqualTo(Validation.Kind.RUN);
        assertThat(op.target(ownCa, plain).getSpec().getTls().getIssuerRef()).isNull();
    }

    @Test
    void removeAndRotateOnAProxySqlWithoutTlsAreRefusedNamingTheField() {
        Validation remove = op.validate(request("remove: true"), plain);
        assertThat(remove.kind()).isEqualTo(Validation.Kind.REJECT);
        assertThat(remove.message()).startsWith("spec.tls.remove: ProxySQL px has no TLS");
        Validation rotate = op.validate(request("rotateCertificates: true"), plain);
        assertThat(rotate.kind()).isEqualTo(Validation.Kind.REJECT);
        assertThat(rotate.message()).startsWith("spec.tls.rotateCertificates: ProxySQL px has no TLS");
    }

    @Test
    void addWhenTlsIsOnIsRefusedButAnotherIssuerRuns() {
        ProxySQL tls = withTls("ca-issuer");
        Validation again = op.validate(request("issuerRef: {apiGroup: cert-manager.io, kind: Issuer, name: ca-issuer}"), tls);
        assertThat(again.kind()).isEqualTo(Validation.Kind.REJECT);
        assertThat(again.message()).startsWith("spec.tls.issuerRef: ProxySQL px already has TLS from Issuer \"ca-issuer\"");
        Validation ownCa = op.validate(request("certificates: [{alias: server}]"), withTls(null));
        assertThat(ownCa.message()).startsWith("spec.tls.issuerRef: ProxySQL px already has TLS from the operator's own CA");
        ProxySQLOpsRequest change = request("issuerRef: {apiGroup: cert-manager.io, kind: ClusterIssuer, name: other}");
        assertThat(op.validate(change, tls).kind()).isEqualTo(Validation.Kind.RUN);
        assertThat(ReconfigureTlsOperation.kind(change.getSpec().getTls(), tls)).isEqualTo(ReconfigureTlsOperation.Kind.ISSUER_CHANGE);
        assertThat(op.target(change, tls).getSpec().getTls().getIssuerRef().getName()).isEqualTo("other");
        assertThat(op.templateAnnotations(change, tls)).as("same Secret names, so only the annotation makes the pods be replaced")
                .containsOnlyKeys(ReconfigureTlsOperation.RECONFIGURED_BY);
    }

    @Test
    void onlyAnIssuerChangeAnnotatesThePodTemplate() {
        ProxySQLOpsRequest add = request("issuerRef: {apiGroup: cert-manager.io, kind: Issuer, name: ca-issuer}");
        assertThat(op.templateAnnotations(add, plain)).as("an add changes the pod spec itself: its rollback template must be the original one")
                .isEmpty();
        assertThat(op.templateAnnotations(request("certificates: [{alias: server}]"), plain)).isEmpty();
        assertThat(op.templateAnnotations(request("remove: true"), withTls("ca-issuer"))).isEmpty();
        ProxySQLOpsRequest change = request("issuerRef: {apiGroup: cert-manager.io, kind: ClusterIssuer, name: other}");
        assertThat(op.templateAnnotations(change, withTls(null))).as("from the operator's own CA to an issuer")
                .containsOnlyKeys(ReconfigureTlsOperation.RECONFIGURED_BY);
        assertThat(op.templateAnnotations(change, null)).as("the ProxySQL is gone").isEmpty();
        assertThat(op.prepareRollback(add, plain)).as("an add's rollback needs no certificate").isEmpty();
    }

    @Test
    void removeRunsAndClearsSpecTls() {
        ProxySQL tls = withTls(null);
        ProxySQLOpsRequest remove = request("remove: true");
        assertThat(op.validate(remove, tls).kind()).isEqualTo(Validation.Kind.RUN);
        assertThat(op.target(remove, tls).getSpec().getTls()).isNull();
        assertThat(op.changesPodSpec(remove)).as("a failure rolls the template back").isTrue();
    }

    @Test
    void rotateOnAProxySqlWithTlsRunsAndLeavesTheTemplateAsItIs() {
        ProxySQLOpsRequest rotate = request("rotateCertificates: true");
        assertThat(op.validate(rotate, withTls(null)).kind()).isEqualTo(Validation.Kind.RUN);
        assertThat(op.changesPodSpec(rotate)).isFalse();
        assertThat(op.templateAnnotations(rotate, withTls(null))).as("no pod replaced").isEmpty();
        assertThat(op.templateAnnotations(request("remove: true"), withTls(null))).isEmpty();
        assertThat(ReconfigureTlsOperation.rotates(rotate)).isTrue();
        assertThat(op.target(rotate, withTls("ca-issuer")).getSpec().getTls().getIssuerRef().getName()).isEqualTo("ca-issuer");
    }

    @Test
    void zeroOrTwoOperationsAndAForeignIssuerAreRefusedNamingTheField() {
        assertThat(op.validate(request("{}"), plain).message()).startsWith("spec.tls: needs exactly one of");
        assertThat(op.validate(request("{remove: true, rotateCertificates: true}"), withTls(null)).message())
                .startsWith("spec.tls: needs exactly one of");
        assertThat(op.validate(request("{remove: true, issuerRef: {kind: Issuer, name: x}}"), withTls(null)).message())
                .startsWith("spec.tls: needs exactly one of");
        assertThat(op.validate(request("issuerRef: {apiGroup: cert-manager.io, kind: Secret, name: x}"), plain).message())
                .startsWith("spec.tls.issuerRef.kind must be Issuer or ClusterIssuer");
    }

    private ProxySQL withTls(String issuer) {
        return withTls(plain, issuer);
    }

    /** A copy of {@code plain} with TLS from {@code issuer} (an Issuer's name; null: the operator's own CA). */
    static ProxySQL withTls(ProxySQL plain, String issuer) {
        ProxySQL p = Serialization.clone(plain);
        TLSConfig tls = new TLSConfig();
        if (issuer != null) {
            tls.setIssuerRef(request("issuerRef: {apiGroup: cert-manager.io, kind: Issuer, name: " + issuer + "}").getSpec().getTls().getIssuerRef());
        }
        p.getSpec().setTls(tls);
        return p;
    }

    /** A ReconfigureTLS request on px whose spec.tls is {@code tls} (YAML). */
    static ProxySQLOpsRequest request(String tls) {
        return Serialization.unmarshal("""
                apiVersion: ops.kubedb.com/v1alpha1
                kind: ProxySQLOpsRequest
                metadata: {name: tls, namespace: ns}
                spec:
                  type: ReconfigureTLS
                  proxyRef: {name: px}
                  tls:
                """ + tls.lines().map(l -> "    " + l + "\n").reduce("", String::concat), ProxySQLOpsRequest.class);
    }
}
