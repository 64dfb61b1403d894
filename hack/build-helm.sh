#!/usr/bin/env bash
# Builds Helm from Go modules, once, into the cache (like the control plane: no downloaded binaries), for the chart
# in deploy/helm and its tests. About 2 minutes on 2 cores the first time; later calls return at once.
# Prints the path of the helm binary on its last line:
#   HELM=$(hack/build-helm.sh | tail -1); $HELM template deploy/helm/proxysql-operator
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=control-plane/versions.env
source "$here/control-plane/versions.env"
CACHE=${PROXYSQL_OPERATOR_CACHE:-$HOME/.cache/proxysql-operator}
out="$CACHE/helm-$HELM_VERSION"
if [ ! -f "$out/.complete" ]; then
  printf '[helm %s] building Helm v%s from Go modules into %s (first use only, about 2 minutes)\n' "$(date +%H:%M:%S)" "$HELM_VERSION" "$out" >&2
  rm -rf "$out.tmp" && mkdir -p "$out.tmp"
  # helm.sh/helm/v3's go.mod has no replace directives, so `go install module@version` works. Versions are stamped
  # as Helm's Makefile does: without them `helm version` says v3.22 and `helm template` assumes Kubernetes 1.20
  # (the default capabilities come from the client-go version, 0.x -> 1.x).
  gomod=$(GOFLAGS=-mod=mod go mod download -json "helm.sh/helm/v3@v$HELM_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
  clientgo=$(sed -n 's/^[[:space:]]*k8s\.io\/client-go v0\.\([0-9]*\)\..*/\1/p' "$gomod" | head -1)
  [ -n "$clientgo" ] || { echo "cannot find the client-go version in $gomod" >&2; exit 1; }
  pkg=helm.sh/helm/v3
  ldflags="-s -w -X $pkg/internal/version.version=v$HELM_VERSION -X $pkg/internal/version.gitTreeState=clean"
  for p in pkg/chartutil pkg/lint/rules; do
    ldflags="$ldflags -X $pkg/$p.k8sVersionMajor=1 -X $pkg/$p.k8sVersionMinor=$clientgo"
  done
  CGO_ENABLED=0 GOFLAGS=-buildvcs=false GOTOOLCHAIN=auto GOBIN="$out.tmp" go install -trimpath -ldflags "$ldflags" \
    "helm.sh/helm/v3/cmd/helm@v$HELM_VERSION" >&2
  rm -rf "$out" && mv "$out.tmp" "$out" && touch "$out/.complete"
fi
echo "$out/helm"
