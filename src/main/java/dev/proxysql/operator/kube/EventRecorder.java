package dev.proxysql.operator.kube;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records Kubernetes Events ({@code kubectl describe} shows them) for an object. Never throws: an Event that cannot
 * be written must not stop the work it describes. Messages must never contain secret values; callers pass only
 * names, versions and reasons.
 */
public final class EventRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
    private static final DateTimeFormatter MICRO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(java.time.ZoneOffset.UTC);

    private final KubernetesClient client;
    private final String component;
    private final Clock clock;

    public EventRecorder(KubernetesClient client, String component, Clock clock) {
        this.client = client;
        this.component = component;
        this.clock = clock;
    }

    public void normal(HasMetadata about, String reason, String message) {
        record(about, "Normal", reason, message);
    }

    public void warning(HasMetadata about, String reason, String message) {
        record(about, "Warning", reason, message);
    }

    /**
     * The longest message an Event keeps, in UTF-8 bytes: events.k8s.io/v1 refuses a longer note, and client-go's
     * recorders cut messages to it. A longer message is cut and ends with {@link #CUT}.
     */
    public static final int MAX_MESSAGE_BYTES = 1024;
    /** An Event's name: the object's name, a dot and 8 random characters, within the 253 of a DNS subdomain. */
    static final int MAX_NAME = 253;
    private static final int SUFFIX = 9;
    static final String CUT = "... (cut)";

    /** {@code message} within {@link #MAX_MESSAGE_BYTES} UTF-8 bytes, never splitting a character. */
    public static String fit(String message) {
        if (message == null || message.getBytes(StandardCharsets.UTF_8).length <= MAX_MESSAGE_BYTES) {
            return message;
        }
        int budget = MAX_MESSAGE_BYTES - CUT.length();
        StringBuilder b = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < message.length(); ) {
            int cp = message.codePointAt(i);
            int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + n > budget) {
                break;
            }
            b.appendCodePoint(cp);
            bytes += n;
            i += Character.charCount(cp);
        }
        return b.append(CUT).toString();
    }

    /** The Event's name: the object's (cut so the whole stays a valid name), a dot, 8 random characters. */
    static String eventName(String objectName) {
        String prefix = objectName.length() > MAX_NAME - SUFFIX ? objectName.substring(0, MAX_NAME - SUFFIX) : objectName;
        return prefix + "." + UUID.randomUUID().toString().substring(0, 8);
    }

    private void record(HasMetadata about, String type, String reason, String message) {
        Instant now = Instant.now(clock);
        String ns = about.getMetadata().getNamespace();
        try {
            client.v1().events().inNamespace(ns).resource(new EventBuilder()
                    .withNewMetadata().withName(eventName(about.getMetadata().getName()))
                    .withNamespace(ns).endMetadata()
                    .withNewInvolvedObject().withApiVersion(about.getApiVersion()).withKind(about.getKind())
                    .withName(about.getMetadata().getName()).withNamespace(ns).withUid(about.getMetadata().getUid())
                    .endInvolvedObject()
                    .withType(type).withReason(reason).withMessage(fit(message))
                    .withReportingComponent(component).withReportingInstance(component)
                    .withNewSource().withComponent(component).endSource()
                    .withFirstTimestamp(now.toString()).withLastTimestamp(now.toString()).withCount(1)
                    .withEventTime(new MicroTime(MICRO.format(now)))
                    .withAction(reason)
                    .build()).create();
        } catch (KubernetesClientException e) {
            LOG.warn("could not record event {} on {}/{}: {}", reason, ns, about.getMetadata().getName(), e.getMessage());
        }
    }
}
