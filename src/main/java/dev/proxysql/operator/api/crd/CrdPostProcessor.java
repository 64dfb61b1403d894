package dev.proxysql.operator.api.crd;

import dev.proxysql.operator.api.appcatalog.v1alpha1.AppBinding;
import dev.proxysql.operator.api.catalog.v1alpha1.ProxySQLVersion;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Build step run right after fabric8's CRD generator: puts the printer columns back in the order the
 * {@code @AdditionalPrinterColumn} annotations declare them. The generator sorts them by JSON path, which would show
 * {@code Age} first, while KubeDB's (and kubectl users') order is e.g. Version, Status, Age.
 *
 * <p>It also declares {@code status.conditions} a map-list keyed by {@code type}, so that under server-side apply
 * each controller owns only the conditions it writes: the ops manager's {@code Paused} survives a provisioner status
 * patch, and removing it does not need the provisioner's cooperation.
 */
public final class CrdPostProcessor {
    static final List<Class<? extends HasMetadata>> KINDS =
            List.of(ProxySQL.class, ProxySQLVersion.class, ProxySQLOpsRequest.class, AppBinding.class);

    private CrdPostProcessor() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/classes/META-INF/fabric8");
        for (Class<? extends HasMetadata> kind : KINDS) {
            Path file = dir.resolve(HasMetadata.getFullResourceName(kind) + "-v1.yml");
            CustomResourceDefinition crd = Serialization.unmarshal(Files.readString(file), CustomResourceDefinition.class);
            List<String> order = Arrays.stream(kind.getAnnotationsByType(AdditionalPrinterColumn.class))
                    .map(AdditionalPrinterColumn::name)
                    .toList();
            crd.getSpec().getVersions().forEach(v -> {
                v.setAdditionalPrinterColumns(inOrder(v.getAdditionalPrinterColumns(), order));
                conditionsAsMapList(v.getSchema().getOpenAPIV3Schema());
            });
            Files.writeString(file, "# Generated from the Java model in src/main/java/dev/proxysql/operator/api; do not edit.\n"
                    + Serialization.asYaml(crd));
        }
    }

    private static void conditionsAsMapList(JSONSchemaProps root) {
        JSONSchemaProps status = root.getProperties().get("status");
        JSONSchemaProps conditions = status == null ? null : status.getProperties().get("conditions");
        if (conditions != null) {
            conditions.setXKubernetesListType("map");
            conditions.setXKubernetesListMapKeys(List.of("type"));
        }
    }

    private static List<CustomResourceColumnDefinition> inOrder(List<CustomResourceColumnDefinition> columns, List<String> order) {
        List<CustomResourceColumnDefinition> sorted = new ArrayList<>(columns);
        sorted.sort(Comparator.comparingInt(c -> order.indexOf(c.getName())));
        return sorted;
    }
}
