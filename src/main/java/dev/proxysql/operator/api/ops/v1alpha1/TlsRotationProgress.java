package dev.proxysql.operator.api.ops.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A ReconfigureTLS rotation's progress: the server certificate's serial before (recorded before anything is issued,
 * so a restart knows whether the Secret it finds is already the new one), the new serial once issued, and each pod's
 * state. Serials are hexadecimal, as {@code openssl x509 -serial} prints them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TlsRotationProgress {
    /** Pod state: not yet serving the new certificate. */
    public static final String PENDING = "Pending";
    /** Pod state: reloaded, and a TLS handshake got the new serial. */
    public static final String RELOADED = "Reloaded";

    private String previousSerial;
    private String serial;
    /** Pod name to its state (Pending, Reloaded), in ordinal order. */
    private Map<String, String> pods = new LinkedHashMap<>();
    /** Since when the pod being reloaded has been tried (RFC 3339); bounds it by spec.timeout. */
    private String podStartedAt;

    public String getPreviousSerial() {
        return previousSerial;
    }

    public void setPreviousSerial(String previousSerial) {
        this.previousSerial = previousSerial;
    }

    public String getSerial() {
        return serial;
    }

    public void setSerial(String serial) {
        this.serial = serial;
    }

    public Map<String, String> getPods() {
        return pods;
    }

    public void setPods(Map<String, String> pods) {
        this.pods = pods;
    }

    public String getPodStartedAt() {
        return podStartedAt;
    }

    public void setPodStartedAt(String podStartedAt) {
        this.podStartedAt = podStartedAt;
    }
}
