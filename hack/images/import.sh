#!/usr/bin/env bash
# Imports every image hack/images/build.sh exported into a containerd, in the k8s.io namespace the kubelet's CRI
# uses, so that pods naming them start without a registry (imagePullPolicy IfNotPresent or Never).
#
#   hack/images/import.sh /run/containerd/containerd.sock            # every exported image
#   hack/images/import.sh <socket> localhost/proxysql:2.7.1-local    # only the images named
#   CTR_SNAPSHOTTER=overlayfs hack/images/import.sh <socket>         # unpack for another snapshotter than the default
#
# Run hack/images/build.sh first (it prints the archive directory). Installs Debian's containerd package for `ctr`
# when it is missing (it starts no daemon: nothing here has systemd).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
source "$here/lib.sh"

[ $# -ge 1 ] || die "usage: $0 <containerd-socket> [image ...]"
socket=$1
shift
[ -S "$socket" ] || die "$socket is not a socket: is containerd running?"
if ! command -v ctr >/dev/null 2>&1; then
  log "installing Debian's containerd package for ctr"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends containerd >/dev/null
fi

archives=()
if [ $# -gt 0 ]; then
  for image in "$@"; do archives+=("$(archive_of "$image")"); done
else
  shopt -s nullglob
  archives=("$IMAGES_OUT"/*.tar)
fi
[ ${#archives[@]} -gt 0 ] || die "no image archives in $IMAGES_OUT: run hack/images/build.sh first"

snapshotter_args=()
[ -z "${CTR_SNAPSHOTTER:-}" ] || snapshotter_args=(--snapshotter "$CTR_SNAPSHOTTER")
for archive in "${archives[@]}"; do
  [ -f "$archive" ] || die "no archive $archive: run hack/images/build.sh first"
  t=$(date +%s)
  log "importing $(basename "$archive") ($(du -h "$archive" | cut -f1))"
  ctr --address "$socket" -n k8s.io images import "${snapshotter_args[@]}" "$archive" >&2
  log "  done in $(elapsed "$t")"
done
log "images in namespace k8s.io of $socket:"
ctr --address "$socket" -n k8s.io images ls -q | grep -E '^(localhost/|ghcr.io/proxysql-operator/)' | sed 's/^/    /' >&2 || true
