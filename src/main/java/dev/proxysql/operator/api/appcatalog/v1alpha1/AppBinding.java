package dev.proxysql.operator.api.appcatalog.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * How to reach an application, here the ProxySQL's backend database (AppsCode's AppBinding). Only the fields a
 * backend needs are typed; every other field of an AppBinding is kept as given.
 */
@Group("appcatalog.appscode.com")
@Version("v1alpha1")
@Plural("appbindings")
@Singular("appbinding")
@ShortNames("app")
@Categories({"catalog", "appscode", "all"})
@AdditionalPrinterColumn(name = "Type", jsonPath = ".spec.type", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Version", jsonPath = ".spec.version", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class AppBinding extends CustomResource<AppBindingSpec, Void> implements Namespaced {
}
