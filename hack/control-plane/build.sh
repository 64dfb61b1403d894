#!/usr/bin/env bash
# Builds the local control plane from Go modules, once, into a cache outside the repository:
#   $CACHE/k8s-<KUBE_VERSION>/{kube-apiserver,kube-controller-manager,kube-scheduler,kubectl}
#   $CACHE/etcd-<ETCD_VERSION>/etcd
#   $CACHE/kwok-<KWOK_VERSION>/{kwok,kwokctl}
# Nothing is downloaded but Go modules (prebuilt binaries are not reachable from our machines).
# Prints the directory holding all binaries (a symlink farm) on its last line.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=versions.env
source "$here/versions.env"
CACHE=${PROXYSQL_OPERATOR_CACHE:-$HOME/.cache/proxysql-operator}
mkdir -p "$CACHE"
log() { printf '[control-plane %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
export CGO_ENABLED=0 GOFLAGS=-buildvcs=false GOTOOLCHAIN=local

build_kube() {
  local out="$CACHE/k8s-$KUBE_VERSION"
  [ -f "$out/.complete" ] && return 0
  local minor=${KUBE_VERSION#1.}; minor=${minor%%.*}
  local sv=0.${KUBE_VERSION#1.}
  local work="$CACHE/src/kbuild-$KUBE_VERSION"
  rm -rf "$work" && mkdir -p "$work" && cd "$work"
  log "Kubernetes v$KUBE_VERSION: preparing a wrapper module (first build only; about 5 min on 2 cores)"
  go mod init local/kbuild >/dev/null 2>&1
  local gomod
  gomod=$(go list -m -json "k8s.io/kubernetes@v$KUBE_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
  # GODEBUG defaults come from the main module: copy k/k's go line.
  local goline
  goline=$(sed -n 's/^go \([0-9.]*\)$/\1/p' "$gomod" | head -1)
  go mod edit -go="$goline"
  for m in $(sed -n 's/^[[:space:]]*\(k8s\.io\/[a-z0-9-]*\) v0\.0\.0[[:space:]]*$/\1/p' "$gomod"); do
    go mod edit -replace="$m=$m@v$sv"
  done
  log "Kubernetes v$KUBE_VERSION: downloading modules"
  go get "k8s.io/kubernetes/cmd/kube-apiserver@v$KUBE_VERSION" "k8s.io/kubernetes/cmd/kube-controller-manager@v$KUBE_VERSION" \
         "k8s.io/kubernetes/cmd/kube-scheduler@v$KUBE_VERSION" "k8s.io/kubernetes/cmd/kubectl@v$KUBE_VERSION" >&2
  local ldf="-s -w"
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldf="$ldf -X $p.gitVersion=v$KUBE_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean"
  done
  mkdir -p "$out.tmp"
  for cmd in kube-apiserver kube-controller-manager kube-scheduler kubectl; do
    log "Kubernetes v$KUBE_VERSION: compiling $cmd"
    go build -trimpath -tags selinux,notest,grpcnotrace -ldflags "$ldf" -o "$out.tmp/$cmd" "k8s.io/kubernetes/cmd/$cmd"
  done
  rm -rf "$out" && mv "$out.tmp" "$out" && touch "$out/.complete"
  log "Kubernetes v$KUBE_VERSION: done"
}

build_etcd() {
  local out="$CACHE/etcd-$ETCD_VERSION"
  [ -f "$out/.complete" ] && return 0
  local work="$CACHE/src/etcdbuild-$ETCD_VERSION"
  rm -rf "$work" && mkdir -p "$work" && cd "$work"
  log "etcd v$ETCD_VERSION: downloading and compiling"
  go mod init local/etcdbuild >/dev/null 2>&1
  go get "go.etcd.io/etcd/server/v3@v$ETCD_VERSION" >&2
  mkdir -p "$out.tmp"
  go build -trimpath -ldflags "-s -w -X go.etcd.io/etcd/api/v3/version.GitSHA=v$ETCD_VERSION" -o "$out.tmp/etcd" go.etcd.io/etcd/server/v3
  rm -rf "$out" && mv "$out.tmp" "$out" && touch "$out/.complete"
  log "etcd v$ETCD_VERSION: done"
}

build_kwok() {
  local out="$CACHE/kwok-$KWOK_VERSION"
  [ -f "$out/.complete" ] && return 0
  log "kwok v$KWOK_VERSION: downloading and compiling kwok and kwokctl"
  mkdir -p "$out.tmp"
  GOTOOLCHAIN=auto GOBIN="$out.tmp" go install "sigs.k8s.io/kwok/cmd/kwok@v$KWOK_VERSION" "sigs.k8s.io/kwok/cmd/kwokctl@v$KWOK_VERSION"
  rm -rf "$out" && mv "$out.tmp" "$out" && touch "$out/.complete"
  log "kwok v$KWOK_VERSION: done"
}

start=$(date +%s)
build_etcd
build_kwok
build_kube
bin="$CACHE/bin-k$KUBE_VERSION-e$ETCD_VERSION-w$KWOK_VERSION"
mkdir -p "$bin"
for f in "$CACHE/k8s-$KUBE_VERSION"/* "$CACHE/etcd-$ETCD_VERSION/etcd" "$CACHE/kwok-$KWOK_VERSION"/*; do
  ln -sfn "$f" "$bin/$(basename "$f")"
done
log "control plane binaries ready in $bin ($(( $(date +%s) - start ))s)"
echo "$bin"
