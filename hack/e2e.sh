#!/usr/bin/env bash
# The end-to-end test on a real node (make e2e): builds what it needs, then runs ProxySqlOnRealNodeE2E, which starts
# its own cluster "proxysql-e2e" with the real node, imports the images into the node's containerd, installs the
# operator as its Deployment (kubectl apply -k deploy/install, hack/node/install-operator.sh) against real ProxySQL
# and MariaDB pods, and removes the cluster and the node afterwards.
#
#   sudo hack/e2e.sh                       # everything; prints the phase times at the end
#   E2E_OPERATOR=jvm hack/e2e.sh           # the operator in the test JVM instead of its Deployment (no operator image)
#   PROXYSQL_TEST_KEEP_CLUSTER=1 hack/e2e.sh   # keep the cluster for a look (hack/control-plane/cluster.sh down proxysql-e2e)
#
# Each build step caches (~/.cache/proxysql-operator): control plane and node binaries (hack/control-plane/build.sh,
# hack/node/build.sh), ProxySQL from source (hack/proxysql/build.sh, via the image build), the ProxySQL and MariaDB
# images (hack/images/build.sh; the operator image only for the Deployment). Steps run one after the
# other: the machine may be shared. Needs root (namespaces, mounts, cgroups).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
cluster=proxysql-e2e

log() { printf '[e2e %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
[ "$(id -u)" -eq 0 ] || { log "ERROR: run as root (the real node needs namespaces, mounts and cgroups)"; exit 1; }

started=$(date +%s)
times=()
step() {
  local name=$1 t
  shift
  t=$(date +%s)
  log "$name"
  "$@"
  times+=("$name: $(( $(date +%s) - t )) s")
}

# Whatever happens to the test JVM (a failure, Ctrl-C, a kill), nothing of the cluster or the node stays: the
# test's own teardown and the cluster's watchdog do it too; this is the last line.
cleanup() {
  local rc=$?
  if [ "${PROXYSQL_TEST_KEEP_CLUSTER:-}" != 1 ]; then
    bash "$repo/hack/control-plane/cluster.sh" down "$cluster" >/dev/null 2>&1 || true
  fi
  local t
  for t in "${times[@]}"; do log "  $t"; done
  log "total $(( $(date +%s) - started )) s, exit code $rc"
}
trap cleanup EXIT

step "control plane binaries" bash "$repo/hack/control-plane/build.sh" >/dev/null
step "node binaries and images" bash "$repo/hack/node/build.sh" >/dev/null
if [ "${E2E_OPERATOR:-deployment}" = jvm ]; then
  step "ProxySQL, MariaDB images" env IMAGES_WITHOUT_OPERATOR=1 bash "$repo/hack/images/build.sh" >/dev/null
else
  step "ProxySQL, MariaDB, operator images" bash "$repo/hack/images/build.sh" >/dev/null
fi
cd "$repo"
step "ProxySqlOnRealNodeE2E (mvn)" mvn -B -ntp test-compile failsafe:integration-test failsafe:verify \
  -Dit.test=ProxySqlOnRealNodeE2E -Dfailsafe.failIfNoSpecifiedTests=true
