package dev.proxysql.operator.api.kubedb.v1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What deleting a ProxySQL does to what it owns (see docs/deletion-policy.md). */
public enum DeletionPolicy {
    /** Keep the Secrets (auth and configuration), delete everything else. */
    @JsonProperty("Halt") HALT,
    /** Delete everything the operator created except a user-provided auth Secret. */
    @JsonProperty("Delete") DELETE,
    /** Delete everything the operator created, including a generated auth Secret. */
    @JsonProperty("WipeOut") WIPE_OUT,
    /** The API server refuses the deletion until the policy is changed. */
    @JsonProperty("DoNotTerminate") DO_NOT_TERMINATE
}
