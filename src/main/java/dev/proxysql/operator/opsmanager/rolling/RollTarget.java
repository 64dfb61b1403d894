package dev.proxysql.operator.opsmanager.rolling;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What every pod must run once the roll is over.
 *
 * @param revision the StatefulSet's status.updateRevision, read after the controller observed the template change.
 *                 Blank means "do not compare revisions" (images alone decide).
 * @param images   container name to image the template now has; a pod matches when each of these containers runs
 *                 exactly this image (containers not named here are not compared)
 */
public record RollTarget(String revision, Map<String, String> images) {

    public RollTarget {
        images = Maps.copy(images);
    }

    public boolean matches(ObservedPod pod) {
        return revisionMatches(pod) && imageDifferences(pod).isEmpty();
    }

    boolean revisionMatches(ObservedPod pod) {
        return revision == null || revision.isBlank() || revision.equals(pod.revision());
    }

    /** "image old -> new" for every container whose image differs, in container-name order. */
    List<String> imageDifferences(ObservedPod pod) {
        List<String> differences = new ArrayList<>();
        images.forEach((container, image) -> {
            String actual = pod.images().get(container);
            if (!Objects.equals(actual, image)) {
                differences.add("image " + (actual == null ? "<no container " + container + ">" : actual) + " -> " + image);
            }
        });
        return differences;
    }

    /** Why the pod is not on this target, for people: image changes first, else the revision change. */
    String describeDifference(ObservedPod pod) {
        List<String> images = imageDifferences(pod);
        if (!images.isEmpty()) {
            return String.join(", ", images);
        }
        if (!revisionMatches(pod)) {
            return "revision " + pod.revision() + " -> " + revision;
        }
        return "already on target";
    }
}
