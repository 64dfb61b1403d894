package dev.proxysql.operator.api.catalog.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** A catalog entry: one ProxySQL version, its images and the versions it may be updated to. Cluster-scoped. */
@Group("catalog.kubedb.com")
@Version("v1alpha1")
@Plural("proxysqlversions")
@Singular("proxysqlversion")
@ShortNames("prxversion")
@Categories({"catalog", "kubedb", "appscode"})
@AdditionalPrinterColumn(name = "Version", jsonPath = ".spec.version", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "ProxySQL_IMAGE", jsonPath = ".spec.proxysql.image", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Deprecated", jsonPath = ".spec.deprecated", type = AdditionalPrinterColumn.Type.BOOLEAN)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class ProxySQLVersion extends CustomResource<ProxySQLVersionSpec, Void> {
}
