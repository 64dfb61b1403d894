package dev.proxysql.operator.opsmanager.step;

import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * The API server refused a request's status as invalid (422). Unlike a conflict or a webhook that is down, this does
 * not clear by writing again: the request can record nothing more, so the state machine resumes its ProxySQL and
 * ends it with the least status that can be stored (see {@code OpsStateMachine}).
 */
public final class StatusRefused extends KubernetesClientException {
    /** HTTP 422 Unprocessable Entity: the object does not pass the API's validation. */
    public static final int UNPROCESSABLE = 422;

    private final KubernetesClientException refusal;

    public StatusRefused(KubernetesClientException refusal) {
        super(refusal.getMessage(), refusal.getCode(), refusal.getStatus());
        this.refusal = refusal;
    }

    /** The client's own exception (this one's constructors of a code and a status leave the cause set to none). */
    @Override
    public synchronized Throwable getCause() {
        return refusal;
    }
}
