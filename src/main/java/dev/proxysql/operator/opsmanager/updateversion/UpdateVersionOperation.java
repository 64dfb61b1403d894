package dev.proxysql.operator.opsmanager.updateversion;

import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestType;
import dev.proxysql.operator.opsmanager.step.ConditionType;
import dev.proxysql.operator.opsmanager.step.Operation;
import dev.proxysql.operator.opsmanager.step.OpsType;
import dev.proxysql.operator.api.catalog.v1alpha1.ProxySQLVersion;
import dev.proxysql.operator.api.catalog.v1alpha1.ProxySQLVersionSpec;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.catalog.CatalogEntry;
import dev.proxysql.operator.catalog.InvalidConstraintException;
import dev.proxysql.operator.catalog.UpdateConstraints;
import dev.proxysql.operator.catalog.UpgradeDecision;
import dev.proxysql.operator.catalog.UpgradeTargets;
import dev.proxysql.operator.topology.ProxySQLNames;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * UpdateVersion: moves the ProxySQL (and exporter) containers to the images of the target ProxySQLVersion, then
 * sets {@code spec.version}. Rules as KubeDB's webhook: the target exists, is not deprecated, and the current
 * version's update constraints allow it; a target equal to the current version restarts nothing.
 */
public final class UpdateVersionOperation implements Operation {
    /** The type as the ops manager runs it: this operation over the shared template flow. */
    public static OpsType type(KubernetesClient client) {
        return OpsType.of(OpsRequestType.UPDATE_VERSION, new UpdateVersionOperation(client));
    }

    private final KubernetesClient client;

    public UpdateVersionOperation(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public Validation validate(ProxySQLOpsRequest request, ProxySQL proxysql) {
        String targetName = request.getSpec().getUpdateVersion().getTargetVersion();
        String currentName = proxysql.getSpec().getVersion();
        if (targetName.equals(currentName)) {
            return Validation.nothingToDo("ProxySQL " + proxysql.getMetadata().getName() + " already runs " + currentName
                    + ": nothing to update, no pod restarted");
        }
        ProxySQLVersion target = version(targetName);
        if (target == null) {
            return Validation.reject("spec.updateVersion.targetVersion: ProxySQLVersion \"" + targetName + "\" does not exist");
        }
        if (Boolean.TRUE.equals(target.getSpec().getDeprecated())) {
            return Validation.forbid("spec.updateVersion.targetVersion: ProxySQLVersion \"" + targetName
                    + "\" is deprecated and cannot be an update target");
        }
        ProxySQLVersion current = version(currentName);
        if (current == null) {
            return Validation.reject("spec.updateVersion.targetVersion: cannot be checked: ProxySQL " + proxysql.getMetadata().getName()
                    + " runs ProxySQLVersion \"" + currentName + "\", which does not exist, so its update constraints are unknown");
        }
        try {
            UpgradeDecision decision = constraints(current.getSpec()).evaluate(currentName, target.getSpec().getVersion());
            if (!decision.allowed()) {
                List<CatalogEntry> catalog = client.resources(ProxySQLVersion.class).list().getItems().stream()
                        .map(UpdateVersionOperation::entry).toList();
                return Validation.forbid("spec.updateVersion.targetVersion: " + decision.reason() + "; "
                        + UpgradeTargets.describe(UpgradeTargets.allowedTargetNames(entry(current), catalog)));
            }
        } catch (InvalidConstraintException e) {
            return Validation.reject("spec.updateVersion.targetVersion: cannot be checked: ProxySQLVersion \"" + currentName
                    + "\" has an invalid update constraint: " + e.getMessage());
        }
        return Validation.run();
    }

    @Override
    public ProxySQL target(ProxySQLOpsRequest request, ProxySQL proxysql) {
        ProxySQL target = Serialization.clone(proxysql);
        target.getSpec().setVersion(request.getSpec().getUpdateVersion().getTargetVersion());
        return target;
    }

    @Override
    public String targetVersionName(ProxySQLOpsRequest request, ProxySQL proxysql) {
        return request.getSpec().getUpdateVersion().getTargetVersion();
    }

    @Override
    public void updateDatabase(ProxySQLOpsRequest request, ProxySQL proxysql) {
        String target = request.getSpec().getUpdateVersion().getTargetVersion();
        if (!target.equals(proxysql.getSpec().getVersion())) {
            // Allowed by the CRD's rule only while the ProxySQL is paused, which it is at this step.
            client.resources(ProxySQL.class).inNamespace(proxysql.getMetadata().getNamespace())
                    .withName(proxysql.getMetadata().getName())
                    .patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                            "{\"spec\":{\"version\":\"" + target + "\"}}");
        }
    }

    @Override
    public ConditionType conditionType() {
        return ConditionType.VERSION_UPDATE;
    }

    @Override
    public String successMessage(ProxySQLOpsRequest request, ProxySQL proxysql) {
        return "Successfully updated ProxySQL " + proxysql.getMetadata().getName() + " to version "
                + request.getSpec().getUpdateVersion().getTargetVersion();
    }

    private ProxySQLVersion version(String name) {
        return client.resources(ProxySQLVersion.class).withName(name).get();
    }

    private static UpdateConstraints constraints(ProxySQLVersionSpec spec) {
        var c = spec.getUpdateConstraints();
        return c == null ? UpdateConstraints.none() : new UpdateConstraints(c.getAllowlist(), c.getDenylist());
    }

    private static CatalogEntry entry(ProxySQLVersion v) {
        return new CatalogEntry(v.getMetadata().getName(), v.getSpec().getVersion(), Boolean.TRUE.equals(v.getSpec().getDeprecated()),
                constraints(v.getSpec()));
    }
}
