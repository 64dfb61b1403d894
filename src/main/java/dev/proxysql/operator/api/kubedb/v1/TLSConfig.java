package dev.proxysql.operator.api.kubedb.v1;

import dev.proxysql.operator.api.common.FreeFormObject;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.proxysql.operator.api.common.TypedLocalObjectReference;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

/**
 * TLS settings (kmapi.TLSConfig): a cert-manager issuer and per-alias certificate settings (aliases server, client,
 * metrics-exporter). Without an issuer the operator issues the certificates from its own CA.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "!has(self.issuerRef) || !has(self.issuerRef.kind) || self.issuerRef.kind in ['Issuer', 'ClusterIssuer']",
        message = "spec.tls.issuerRef.kind must be Issuer or ClusterIssuer (a cert-manager issuer)",
        fieldPath = ".issuerRef.kind",
        reason = "FieldValueInvalid")
@ValidationRule(
        value = "!has(self.issuerRef) || !has(self.issuerRef.apiGroup) || self.issuerRef.apiGroup == 'cert-manager.io'",
        message = "spec.tls.issuerRef.apiGroup must be cert-manager.io",
        fieldPath = ".issuerRef.apiGroup",
        reason = "FieldValueInvalid")
public class TLSConfig {
    private TypedLocalObjectReference issuerRef;
    @SchemaFrom(type = FreeFormObject[].class)
    private List<Map<String, Object>> certificates;

    public TypedLocalObjectReference getIssuerRef() {
        return issuerRef;
    }

    public void setIssuerRef(TypedLocalObjectReference issuerRef) {
        this.issuerRef = issuerRef;
    }

    public List<Map<String, Object>> getCertificates() {
        return certificates;
    }

    public void setCertificates(List<Map<String, Object>> certificates) {
        this.certificates = certificates;
    }
}
