package dev.proxysql.operator.opsmanager.rolling;

import java.util.Map;

/**
 * One pod of the StatefulSet as observed in this reconcile. A pod that is absent from the observation does not
 * exist right now.
 *
 * @param name        pod name, e.g. {@code px-1}
 * @param ordinal     the StatefulSet ordinal (the number at the end of the name)
 * @param uid         metadata.uid: tells the pod that was evicted from its replacement of the same name
 * @param terminating metadata.deletionTimestamp is set
 * @param ready       the pod's Ready condition is True
 * @param revision    the {@code controller-revision-hash} label: the StatefulSet revision it was created from
 * @param images      container name to image, as in the pod's spec
 */
public record ObservedPod(String name, int ordinal, String uid, boolean terminating, boolean ready, String revision,
                          Map<String, String> images) {

    public ObservedPod {
        images = Maps.copy(images);
    }

    /** Ready and not on its way out: the pod serves traffic. */
    public boolean serving() {
        return ready && !terminating;
    }
}
