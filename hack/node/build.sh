#!/usr/bin/env bash
# Builds everything a real node of the local control plane needs, once, into a cache outside the repository:
#   $CACHE/kubelet-<KUBE_VERSION>/{kubelet,kube-proxy}       from k8s.io/kubernetes, same version as the control plane
#   $CACHE/coredns-<COREDNS_VERSION>/coredns                 from github.com/coredns/coredns, only the plugins we use
#   $CACHE/node-images-<key>/{pause,busybox}.oci.tar          OCI archives built here (gcc -static + umoci), no pulls
#   $CACHE/node-k<KUBE>-c<COREDNS>-i<key>/                    all of the above in one directory (symlinks)
# and installs the Debian packages the node runs on (containerd, runc, CNI plugins, iptables, ...) when missing.
# Nothing is downloaded but Debian packages and Go modules. Prints the directory holding everything on its
# last line. Run as root (apt-get).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../control-plane/versions.env
source "$here/../control-plane/versions.env"
# shellcheck source=versions.env
source "$here/versions.env"
CACHE=${PROXYSQL_OPERATOR_CACHE:-$HOME/.cache/proxysql-operator}
mkdir -p "$CACHE"
log() { printf '[node-build %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
export CGO_ENABLED=0 GOFLAGS=-buildvcs=false GOTOOLCHAIN=local

# Debian packages -> a file each must provide.
PACKAGES=(
  containerd:/usr/bin/containerd
  runc:/usr/sbin/runc
  containernetworking-plugins:/usr/lib/cni/bridge
  iptables:/usr/sbin/iptables
  conntrack:/usr/sbin/conntrack
  nftables:/usr/sbin/nft
  iproute2:/usr/sbin/ip
  umoci:/usr/bin/umoci
  busybox-static:/bin/busybox
  gcc:/usr/bin/gcc
  libc6-dev:/usr/include/signal.h
  jq:/usr/bin/jq
  curl:/usr/bin/curl
  socat:/usr/bin/socat
  util-linux:/usr/bin/nsenter
)

ensure_packages() {
  local missing=() p
  for p in "${PACKAGES[@]}"; do
    [ -e "${p#*:}" ] || missing+=("${p%%:*}")
  done
  [ ${#missing[@]} -gt 0 ] || return 0
  [ "$(id -u)" -eq 0 ] || die "Debian packages ${missing[*]} are missing and installing them needs root"
  log "installing Debian packages: ${missing[*]}"
  # policy-rc.d exit 101 = "action forbidden": the packages' maintainer scripts must not start containerd as a
  # system service; node.sh starts its own instance with its own config.
  local policy=/usr/sbin/policy-rc.d created_policy=false
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && created_policy=true
  fi
  # shellcheck disable=SC2064
  trap "$created_policy && rm -f $policy" EXIT
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  $created_policy && rm -f "$policy"
  trap - EXIT
  for p in "${PACKAGES[@]}"; do
    [ -e "${p#*:}" ] || die "package ${p%%:*} installed but ${p#*:} is missing"
  done
}

build_kubelet() {
  local out="$CACHE/kubelet-$KUBE_VERSION"
  [ -f "$out/.complete" ] && return 0
  local minor=${KUBE_VERSION#1.}; minor=${minor%%.*}
  local sv=0.${KUBE_VERSION#1.}
  local work="$CACHE/src/nodebuild-$KUBE_VERSION"
  rm -rf "$work" && mkdir -p "$work" && cd "$work"
  log "Kubernetes v$KUBE_VERSION: preparing a wrapper module for kubelet and kube-proxy"
  # The same wrapper as hack/control-plane/build.sh: every k8s.io staging module k/k requires at v0.0.0 is
  # replaced by its published v0.X.Y, and the go line is k/k's (GODEBUG defaults come from the main module).
  go mod init local/nodebuild >/dev/null 2>&1
  local gomod goline
  gomod=$(go list -m -json "k8s.io/kubernetes@v$KUBE_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
  goline=$(sed -n 's/^go \([0-9.]*\)$/\1/p' "$gomod" | head -1)
  go mod edit -go="$goline"
  for m in $(sed -n 's/^[[:space:]]*\(k8s\.io\/[a-z0-9-]*\) v0\.0\.0[[:space:]]*$/\1/p' "$gomod"); do
    go mod edit -replace="$m=$m@v$sv"
  done
  log "Kubernetes v$KUBE_VERSION: resolving modules"
  go get "k8s.io/kubernetes/cmd/kubelet@v$KUBE_VERSION" "k8s.io/kubernetes/cmd/kube-proxy@v$KUBE_VERSION" >&2
  local ldf="-s -w"
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldf="$ldf -X $p.gitVersion=v$KUBE_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean"
  done
  mkdir -p "$out.tmp"
  local cmd t
  for cmd in kubelet kube-proxy; do
    log "Kubernetes v$KUBE_VERSION: compiling $cmd"
    t=$(date +%s)
    # -mod=mod: some packages only kubelet imports lack go.sum entries after `go get`; this fills them in.
    go build -mod=mod -trimpath -tags selinux,notest,grpcnotrace -ldflags "$ldf" -o "$out.tmp/$cmd" "k8s.io/kubernetes/cmd/$cmd"
    log "Kubernetes v$KUBE_VERSION: $cmd compiled in $(( $(date +%s) - t ))s"
  done
  rm -rf "$out" && mv "$out.tmp" "$out" && touch "$out/.complete"
}

build_coredns() {
  local out="$CACHE/coredns-$COREDNS_VERSION"
  [ -f "$out/.complete" ] && return 0
  local work="$CACHE/src/corednsbuild-$COREDNS_VERSION" t
  rm -rf "$work" && mkdir -p "$work" && cd "$work"
  log "CoreDNS v$COREDNS_VERSION: resolving modules"
  go mod init local/corednsbuild >/dev/null 2>&1
  cp "$here/coredns/main.go" .
  go get "github.com/coredns/coredns@v$COREDNS_VERSION" >&2
  log "CoreDNS v$COREDNS_VERSION: compiling (plugins: bind cache errors health kubernetes loadbalance log ready)"
  t=$(date +%s)
  mkdir -p "$out.tmp"
  go build -mod=mod -trimpath \
    -ldflags "-s -w -X github.com/coredns/coredns/coremain.GitCommit=v$COREDNS_VERSION" -o "$out.tmp/coredns" .
  log "CoreDNS v$COREDNS_VERSION: compiled in $(( $(date +%s) - t ))s"
  rm -rf "$out" && mv "$out.tmp" "$out" && touch "$out/.complete"
}

# Turns a root filesystem directory into an OCI archive (a tar of an OCI image layout) that
# `ctr -n k8s.io images import` accepts, named $ref through containerd's own name annotation.
# Args: rootfs-dir ref out-file umoci-config-args...
oci_archive() {
  local rootfs=$1 ref=$2 out=$3 work
  shift 3
  work=$(mktemp -d "$CACHE/src/oci.XXXXXX")
  umoci init --layout "$work/layout"
  umoci new --image "$work/layout:img"
  umoci unpack --image "$work/layout:img" "$work/bundle" >/dev/null
  cp -a "$rootfs/." "$work/bundle/rootfs/"
  umoci repack --image "$work/layout:img" "$work/bundle"
  umoci config --image "$work/layout:img" --os linux --architecture amd64 "$@"
  umoci gc --layout "$work/layout"
  # ctr names an imported image after the annotation io.containerd.image.name when present.
  jq --arg ref "$ref" '.manifests[0].annotations["io.containerd.image.name"] = $ref' \
    "$work/layout/index.json" >"$work/index.json" && mv "$work/index.json" "$work/layout/index.json"
  tar -C "$work/layout" -cf "$out" .
  rm -rf "$work"
}

images_key() {
  { cat "$here/pause.c"; echo "$PAUSE_TAG"; dpkg-query -W -f '${Version}' busybox-static umoci gcc; } \
    | sha256sum | cut -c1-12
}

build_images() {
  local out="$CACHE/node-images-$1"
  [ -f "$out/.complete" ] && return 0
  log "images: building localhost/pause:$PAUSE_TAG and localhost/busybox:local"
  rm -rf "$out.tmp" && mkdir -p "$out.tmp/pause-rootfs" "$out.tmp/busybox-rootfs/bin" "$CACHE/src"
  gcc -static -Os -Wall -Werror -o "$out.tmp/pause-rootfs/pause" "$here/pause.c"
  strip "$out.tmp/pause-rootfs/pause"
  oci_archive "$out.tmp/pause-rootfs" "localhost/pause:$PAUSE_TAG" "$out.tmp/pause.oci.tar" \
    --config.entrypoint /pause --config.user 65535:65535
  # busybox-static: one static binary and a symlink per applet (sh, nslookup, wget, httpd, ...).
  local b="$out.tmp/busybox-rootfs" applet
  cp /bin/busybox "$b/bin/busybox"
  for applet in $("$b/bin/busybox" --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$b/bin/$applet"
  done
  mkdir -p "$b/tmp" "$b/etc" "$b/www" && chmod 1777 "$b/tmp"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$b/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$b/etc/group"
  oci_archive "$b" "localhost/busybox:local" "$out.tmp/busybox.oci.tar" \
    --config.cmd sh --config.env PATH=/bin
  rm -rf "$out.tmp/pause-rootfs" "$out.tmp/busybox-rootfs"
  rm -rf "$out" && mv "$out.tmp" "$out" && touch "$out/.complete"
}

start=$(date +%s)
ensure_packages
build_kubelet
build_coredns
key=$(images_key)
build_images "$key"
dir="$CACHE/node-k$KUBE_VERSION-c$COREDNS_VERSION-i$key"
mkdir -p "$dir"
for f in "$CACHE/kubelet-$KUBE_VERSION"/* "$CACHE/coredns-$COREDNS_VERSION/coredns" "$CACHE/node-images-$key"/*; do
  ln -sfn "$f" "$dir/$(basename "$f")"
done
log "node binaries and images ready in $dir ($(( $(date +%s) - start ))s)"
echo "$dir"
