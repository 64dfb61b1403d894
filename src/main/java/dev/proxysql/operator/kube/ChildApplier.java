package dev.proxysql.operator.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Server-side-applies an object the operator owns, but only when the operator's intent for it changed.
 *
 * <p>The desired object is hashed and the hash is stored in an annotation; when the live object carries the same
 * hash nothing is sent. This makes a settled reconcile free of API writes without comparing against fields the API
 * server defaults or normalises (quantities, default probe thresholds...), which is where field-by-field matchers
 * produce endless updates. The price: a manual edit of an owned field is reverted only on the next change of intent;
 * every write uses a forced apply, so our fields always win then.
 */
public final class ChildApplier {
    public static final String HASH_ANNOTATION = "proxysql.dev/desired-hash";

    private final KubernetesClient client;
    private final String fieldManager;
    private final Runnable onWrite;

    /** {@code onWrite} runs after every write, e.g. to count writes. */
    public ChildApplier(KubernetesClient client, String fieldManager, Runnable onWrite) {
        this.client = client;
        this.fieldManager = fieldManager;
        this.onWrite = onWrite;
    }

    /** Applies {@code desired} unless {@code live} already carries its hash; returns whether a write was made. */
    public <T extends HasMetadata> boolean apply(T desired, T live) {
        String hash = hashOf(desired);
        if (live != null && hash.equals(annotation(live))) {
            return false;
        }
        Map<String, String> annotations = new LinkedHashMap<>();
        if (desired.getMetadata().getAnnotations() != null) {
            annotations.putAll(desired.getMetadata().getAnnotations());
        }
        annotations.put(HASH_ANNOTATION, hash);
        desired.getMetadata().setAnnotations(annotations);
        desired.getMetadata().setResourceVersion(null);
        desired.getMetadata().setManagedFields(null);
        client.resource(desired).fieldManager(fieldManager).forceConflicts().serverSideApply();
        onWrite.run();
        return true;
    }

    /** The hash {@link #apply} records for {@code desired} (to be called before apply, which annotates it). */
    public static String hashOf(HasMetadata desired) {
        try {
            byte[] json = Serialization.asJson(desired).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json)).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }

    /** The hash of the intent {@code live} was last applied from, or null. */
    public static String annotation(HasMetadata live) {
        Map<String, String> annotations = live.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(HASH_ANNOTATION);
    }
}
