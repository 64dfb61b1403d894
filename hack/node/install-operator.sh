#!/usr/bin/env bash
# Installs the operator into a cluster with the real node (hack/node/node.sh) the way a user installs it: the operator
# image (hack/images/build.sh, from the project's Dockerfile) imported into the node's containerd, then
#
#   kubectl apply --server-side -k deploy/install/crds     # first: kubectl resolves every kind before it applies any
#   kubectl apply --server-side -k deploy/install          # catalog, policies, namespace, RBAC, Deployment, webhooks
#   kubectl apply --server-side -f deploy/local/proxysql-local-versions.yaml   # the versions whose images are built here
#
# and waits until the Deployment's pod is Ready (its readiness probe), holds the leader Lease and has put its CA into
# both webhook configurations. The manifests are applied unchanged: no overlay is needed on the real node.
#
#   hack/node/install-operator.sh NAME       # NAME: the cluster the real node joined
#
# Root (ctr talks to the node's containerd socket). The image must be built: hack/images/build.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
CACHE=${PROXYSQL_OPERATOR_CACHE:-$HOME/.cache/proxysql-operator}
KWOK_WORKDIR=${KWOK_WORKDIR:-$CACHE/kwok}
export KUBECACHEDIR=$KWOK_WORKDIR/kube-cache
NS=proxysql-operator-system
WAIT_SECONDS=${INSTALL_WAIT_SECONDS:-180}

log() { printf '[install %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

name=${1:-}
[ -n "$name" ] || die "usage: $0 <cluster-name>"
kubeconfig=$("$repo/hack/control-plane/cluster.sh" kubeconfig "$name")
# shellcheck source=../control-plane/versions.env
source "$repo/hack/control-plane/versions.env"
kubectl_bin="$CACHE/bin-k$KUBE_VERSION-e$ETCD_VERSION-w$KWOK_VERSION/kubectl"
[ -x "$kubectl_bin" ] || die "no kubectl in the control plane's bin dir (hack/control-plane/build.sh)"
k() { "$kubectl_bin" --kubeconfig "$kubeconfig" "$@"; }
[ "$(cat /run/proxysql-operator-node/cluster 2>/dev/null)" = "$name" ] \
  || die "the real node is not joined to cluster $name (hack/node/node.sh up $name)"

start=$(date +%s)
tag=$(awk '/newTag:/ {print $2}' "$repo/deploy/install/kustomization.yaml")
image=ghcr.io/proxysql-operator/proxysql-operator:$tag
log "importing $image into the node's containerd"
"$repo/hack/images/import.sh" /run/proxysql-operator-node/containerd/containerd.sock "$image" >/dev/null

log "kubectl apply -k deploy/install/crds, then -k deploy/install, then the local versions"
k apply --server-side -k "$repo/deploy/install/crds" >/dev/null
k wait --for=condition=Established --timeout=60s crd proxysqls.kubedb.com proxysqlopsrequests.ops.kubedb.com \
  proxysqlversions.catalog.kubedb.com appbindings.appcatalog.appscode.com >/dev/null
k apply --server-side -k "$repo/deploy/install" >/dev/null
k apply --server-side -f "$repo/deploy/local/proxysql-local-versions.yaml" >/dev/null

k -n "$NS" rollout status deployment/proxysql-operator --timeout="${WAIT_SECONDS}s" >&2 \
  || { k -n "$NS" get pods -o wide >&2; k -n "$NS" logs deployment/proxysql-operator --tail=30 >&2 || true
       die "the operator's Deployment did not become available"; }
deadline=$(( $(date +%s) + WAIT_SECONDS ))
leader=""
until leader=$(k -n "$NS" get lease proxysql-operator -o jsonpath='{.spec.holderIdentity}' 2>/dev/null) \
      && [ -n "$leader" ] \
      && [ -n "$(k get validatingwebhookconfiguration proxysql-operator -o jsonpath='{.webhooks[0].clientConfig.caBundle}')" ] \
      && [ -n "$(k get mutatingwebhookconfiguration proxysql-operator -o jsonpath='{.webhooks[0].clientConfig.caBundle}')" ]; do
  [ "$(date +%s)" -lt "$deadline" ] || die "no leader Lease or no webhook caBundle after ${WAIT_SECONDS}s"
  sleep 0.5
done
log "operator installed in $(( $(date +%s) - start )) s; leader $leader"
