package dev.proxysql.operator.api.kubedb.v1;

import dev.proxysql.operator.api.common.FreeFormObject;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.proxysql.operator.api.common.TypedLocalObjectReference;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import java.util.List;
import java.util.Map;

/** TLS settings (kmapi.TLSConfig): a cert-manager issuer and per-alias certificate settings. Accepted and kept. */
@JsonInclude(JsonInclude.Include.NON_NULL)
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
