package dev.proxysql.operator.api.ops.v1alpha1;

import dev.proxysql.operator.api.common.FreeFormObject;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.proxysql.operator.api.common.TypedLocalObjectReference;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

/** A TLS change: exactly one of remove, rotateCertificates, or a new issuerRef/certificates. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "[has(self.remove) && self.remove, has(self.rotateCertificates) && self.rotateCertificates,"
                + " has(self.issuerRef) || has(self.certificates)].filter(x, x).size() == 1",
        message = "spec.tls needs exactly one of: remove: true, rotateCertificates: true, or issuerRef/certificates")
public class TLSSpec {
    private TypedLocalObjectReference issuerRef;
    @SchemaFrom(type = FreeFormObject[].class)
    private List<Map<String, Object>> certificates;
    private Boolean rotateCertificates;
    private Boolean remove;

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

    public Boolean getRotateCertificates() {
        return rotateCertificates;
    }


    public void setRotateCertificates(Boolean rotateCertificates) {
        this.rotateCertificates = rotateCertificates;
    }

    public Boolean getRemove() {
        return remove;
    }


    public void setRemove(Boolean remove) {
        this.remove = remove;
    }
}
