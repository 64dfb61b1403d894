/**
 * The rolling replacement engine of the ops manager: which pods to replace ({@link
 * dev.proxysql.operator.opsmanager.rolling.RollPlan}, {@link dev.proxysql.operator.opsmanager.rolling.RollbackPlan})
 * and, on every reconcile, the next single side effect ({@link
 * dev.proxysql.operator.opsmanager.rolling.RollingReplacement}). Pure Java: no Kubernetes client, no clock, no
 * state outside the persisted {@code status.progress.pods}.
 */
package dev.proxysql.operator.opsmanager.rolling;
