package dev.proxysql.operator.opsmanager.flow;

import dev.proxysql.operator.api.kubedb.v1.DatabasePhase;
import dev.proxysql.operator.api.ops.v1alpha1.ApplyOption;
import dev.proxysql.operator.api.ops.v1alpha1.OpsStep;
import java.util.Optional;

/**
 * What one pass of the state machine observed about a request and its world, reduced to the facts the step decisions
 * ({@link StepDecisions}) need. Read once per pass by {@link OpsStateMachine}; plain data, so the decisions are pure
 * and unit-tested without a cluster.
 *
 * @param step               the request's persisted step
 * @param deleting           the request is being deleted (a cancel)
 * @param proxysqlName       the ProxySQL it targets
 * @param proxysqlExists     whether that ProxySQL exists
 * @param phase              its phase (null before the provisioner wrote one)
 * @param paused             its {@code Paused} condition is True
 * @param pauseAcknowledged  the provisioner acknowledged the pause
 * @param statefulSetName    the StatefulSet's name
 * @param statefulSetExists  whether it exists
 * @param templateTaken      its pod template has the change this step wants (the target going forward, the previous
 *                           template in a rollback)
 * @param templateObserved   the StatefulSet controller has observed the template (its updateRevision is current)
 * @param change             that change, for people
 * @param changesTemplate    the request changes images or resources (so a failure rolls the template back)
 * @param targetFieldDropped the API server dropped {@code status.progress.targetResources} (its CRD predates it)
 * @param renderProblem      why the StatefulSet to roll to (or back to) cannot be rendered (its ProxySQLVersion or
 *                           AppBinding is gone), or null
 * @param stepClockStarted   the step's start time is recorded
 * @param stepTimedOut       the step has run longer than the request's timeout
 * @param timeout            the timeout as the request spells it (5m0s)
 * @param apply              spec.apply
 * @param blocker            the request ahead of this one on the same ProxySQL, if any
 */
public record StepView(OpsStep step, boolean deleting, String proxysqlName, boolean proxysqlExists, DatabasePhase phase, boolean paused,
                boolean pauseAcknowledged, String statefulSetName, boolean statefulSetExists, boolean templateTaken,
                boolean templateObserved, String change, boolean changesTemplate, boolean targetFieldDropped, String renderProblem,
                boolean stepClockStarted, boolean stepTimedOut, String timeout, ApplyOption apply, Optional<String> blocker) {
}
