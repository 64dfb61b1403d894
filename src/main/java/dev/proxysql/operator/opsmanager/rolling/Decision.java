package dev.proxysql.operator.opsmanager.rolling;

import dev.proxysql.operator.api.ops.v1alpha1.PodProgress;
import java.util.List;

/**
 * The engine's answer: persist {@code progress} into {@code status.progress.pods} first, then perform
 * {@code action}. The list is a fresh copy; the engine never modifies its input.
 */
public record Decision(List<PodProgress> progress, Action action) {
}
