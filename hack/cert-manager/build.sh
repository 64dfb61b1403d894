#!/usr/bin/env bash
# Builds a cert-manager controller from the cert-manager library module, once, into the cache (no downloaded
# binaries: cert-manager's own binary module github.com/cert-manager/cert-manager/cmd/controller is not served by the
# Go module proxy our machines reach, its library module is). main.go here wires the library's controllers as
# cert-manager's cmd/controller does (Certificates, the CA and SelfSigned issuers; no ACME, Vault, Venafi or shims).
# Also copies cert-manager's own CRDs (deploy/crds of the same module) next to the binary.
#
# Output: $CACHE/cert-manager-<version>-<hash of main.go, go.mod, go.sum>/{cert-manager-controller,crds/*.yaml}
# Prints that directory on its last line. Later calls return at once.
#   build.sh           build if needed (cold: see README.md), print the directory
#   build.sh --check   print the directory if it is built, else fail saying how to build it (what the tests call)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
CACHE=${PROXYSQL_OPERATOR_CACHE:-$HOME/.cache/proxysql-operator}
export CGO_ENABLED=0 GOFLAGS=-buildvcs=false GOTOOLCHAIN=local
log() { printf '[cert-manager %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

version=$(sed -n 's/^[[:space:]]*github\.com\/cert-manager\/cert-manager \(v[0-9.]*\)$/\1/p' "$here/go.mod" | head -1)
[ -n "$version" ] || { echo "no github.com/cert-manager/cert-manager version in $here/go.mod" >&2; exit 1; }
hash=$(cat "$here/main.go" "$here/go.mod" "$here/go.sum" | sha256sum | cut -c1-12)
out="$CACHE/cert-manager-$version-$hash"
if [ "${1:-}" = --check ]; then
  [ -f "$out/.complete" ] || { echo "the cert-manager controller is not built (expected $out): run bash hack/cert-manager/build.sh" >&2; exit 1; }
  echo "$out"
  exit 0
fi
if [ ! -f "$out/.complete" ]; then
  start=$(date +%s)
  rm -rf "$out.tmp" && mkdir -p "$out.tmp/crds"
  log "cert-manager $version: downloading modules (first build only)"
  (cd "$here" && go mod download github.com/cert-manager/cert-manager && go list -deps . >/dev/null)
  log "cert-manager $version: compiling the controller (first build only; about 8 minutes on 2 busy cores, seconds once Go's cache is warm)"
  (cd "$here" && go build -trimpath -ldflags "-s -w" -o "$out.tmp/cert-manager-controller" .)
  moddir=$(cd "$here" && go list -m -f '{{.Dir}}' github.com/cert-manager/cert-manager)
  cp "$moddir"/deploy/crds/*.yaml "$out.tmp/crds/"
  chmod -R u+w "$out.tmp/crds"
  rm -rf "$out" && mv "$out.tmp" "$out" && touch "$out/.complete"
  log "cert-manager $version: done in $(( $(date +%s) - start ))s ($out)"
fi
echo "$out"
