package dev.proxysql.operator.api.kubedb.v1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A ProxySQL deployment, compatible with KubeDB's {@code kubedb.com/v1} ProxySQL.
 *
 * <p>{@code spec.version} may only change while the object is paused by an ops request (the ops manager sets it as
 * the last step of an UpdateVersion); a direct edit is rejected by the API server with a message that points to
 * ProxySQLOpsRequest. This keeps the StatefulSet's image and {@code spec.version} from silently disagreeing.
 */
@Group(ProxySQL.GROUP)
@Version(ProxySQL.VERSION)
@Plural("proxysqls")
@Singular("proxysql")
@ShortNames("prx")
@Categories({"datastore", "kubedb", "appscode", "all"})
@AdditionalPrinterColumn(name = "Version", jsonPath = ".spec.version", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Status", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@ValidationRule(
        value = "self.spec.version == oldSelf.spec.version || (has(oldSelf.status) && has(oldSelf.status.conditions)"
                + " && oldSelf.status.conditions.exists(c, c.type == 'Paused' && c.status == 'True'))",
        messageExpression = "'spec.version cannot be edited directly (from ' + oldSelf.spec.version + ' to '"
                + " + self.spec.version + '): create a ProxySQLOpsRequest of type UpdateVersion with"
                + " spec.updateVersion.targetVersion: ' + self.spec.version",
        reason = "FieldValueForbidden")
@ValidationRule(
        value = "self.metadata.name.size() <= " + ProxySQL.MAX_NAME_LENGTH,
        message = "metadata.name: at most " + ProxySQL.MAX_NAME_LENGTH + " characters: the StatefulSet of that name labels its pods"
                + " controller-revision-hash=<name>-<10-character hash>, and a label value holds at most 63",
        reason = "FieldValueInvalid")
@ValidationRule(
        value = "self.metadata.name.matches('^[a-z]([-a-z0-9]*[a-z0-9])?$')",
        message = "metadata.name: must start with a lower-case letter and contain only lower-case letters, digits and '-' (it names"
                + " Services, whose names are DNS-1035 labels)",
        reason = "FieldValueInvalid")
public class ProxySQL extends CustomResource<ProxySQLSpec, ProxySQLStatus> implements Namespaced {
    /**
     * The longest name whose children all fit: the StatefulSet {@code <name>} labels its pods with
     * {@code controller-revision-hash: <name>-<hash>} (a hash of up to 10 characters; label values hold 63), which is
     * the tightest; Services {@code <name>-pods} and {@code <name>-stats} (DNS-1035 labels, 63), pods
     * {@code <name>-<0..49>} (hostnames, 63) and Secrets {@code <name>-configuration} etc. (253) are below it.
     */
    public static final int MAX_NAME_LENGTH = 52;
    public static final String GROUP = "kubedb.com";
    public static final String VERSION = "v1";
    public static final String KIND = "ProxySQL";
}
