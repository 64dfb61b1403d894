package dev.proxysql.operator.opsmanager.step;

import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;

/**
 * Where the ops manager may be stopped, for crash testing: {@link StepWriter} calls {@link #reached} just before and
 * just after every write it makes for a request (a status write, a finalizer, the pause, the pod template, an
 * eviction, the ProxySQL's spec), with a point name such as {@code "after ReplacingPods: evict px-1"}. An
 * implementation that throws from there stops that request's processing at exactly that line, as a killed process
 * would; the crash test then starts a fresh operator and checks the request still ends right. Production runs with
 * {@link #NONE}.
 */
@FunctionalInterface
public interface StopPoints {
    StopPoints NONE = (request, point) -> { };

    /** {@code point} is {@code "before <write>"} or {@code "after <write>"}; see {@link StepWriter} for the names. */
    public void reached(ProxySQLOpsRequest request, String point);
}
