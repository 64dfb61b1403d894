package dev.proxysql.operator.topology;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which pods the client Service {@code <name>} sends clients to: the ProxySQL's pods that carry
 * {@value #LABEL}={@value #VALUE}, a label every ProxySQL pod has from its template (KubeDB's offshoot labels have it
 * too). A HorizontalScaling takes a leaving pod out of the client Service by removing that label, noting when in
 * {@value #OUT_SINCE}, before the pod stops accepting clients: a pod that refused connections while the Service still
 * routed to it would fail new clients until its readiness probe had failed (3 periods, 30 s by default; measured
 * with make e2e). The StatefulSet and the governing Service select without this label, so the pod stays the
 * StatefulSet's and keeps its DNS name.
 */
public final class ClientServiceMembership {
    public static final String LABEL = KubeDbLabels.COMPONENT;
    public static final String VALUE = "database";
    /** When the pod was taken out of the client Service (RFC 3339), on the pod itself: resumable after a restart. */
    public static final String OUT_SINCE = "proxysql.dev/out-of-client-service-since";

    private ClientServiceMembership() {
    }

    /** The client Service's selector: the ProxySQL's pods, as long as they serve clients. */
    public static Map<String, String> selector(String proxysqlName) {
        Map<String, String> labels = new LinkedHashMap<>(KubeDbLabels.selector(proxysqlName));
        labels.put(LABEL, VALUE);
        return labels;
    }

    /** Whether the client Service selects {@code pod} (its ProxySQL's selector labels taken for granted). */
    public static boolean selects(Pod pod) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        return labels != null && VALUE.equals(labels.get(LABEL));
    }

    /** When {@code pod} was taken out of the client Service; empty if it was not (or the note is unreadable). */
    public static Optional<Instant> outSince(Pod pod) {
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        String since = annotations == null ? null : annotations.get(OUT_SINCE);
        try {
            return since == null ? Optional.empty() : Optional.of(Instant.parse(since));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The merge patch that takes a pod out of the client Service at {@code now}. */
    public static String leavePatch(Instant now) {
        return "{\"metadata\":{\"labels\":{\"" + LABEL + "\":null},\"annotations\":{\"" + OUT_SINCE + "\":\"" + now + "\"}}}";
    }

    /** The merge patch that puts a pod back into the client Service. */
    public static String returnPatch() {
        return "{\"metadata\":{\"labels\":{\"" + LABEL + "\":\"" + VALUE + "\"},\"annotations\":{\"" + OUT_SINCE + "\":null}}}";
    }
}
