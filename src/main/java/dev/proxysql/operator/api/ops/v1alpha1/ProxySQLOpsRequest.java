package dev.proxysql.operator.api.ops.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** A one-off operation on a ProxySQL (update version, restart, scale, reconfigure...), as in KubeDB. */
@Group("ops.kubedb.com")
@Version("v1alpha1")
@Plural("proxysqlopsrequests")
@Singular("proxysqlopsrequest")
@ShortNames("prxops")
@Categories({"ops", "kubedb", "appscode"})
@AdditionalPrinterColumn(name = "Type", jsonPath = ".spec.type", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Status", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class ProxySQLOpsRequest extends CustomResource<ProxySQLOpsRequestSpec, OpsRequestStatus> implements Namespaced {
}
