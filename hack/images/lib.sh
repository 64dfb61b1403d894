# Shared by build.sh, import.sh and smoke.sh: where the images live and how buildah is called.
# shellcheck shell=bash
IMAGES_CACHE=${PROXYSQL_OPERATOR_CACHE:-$HOME/.cache/proxysql-operator}/images
# buildah's own storage, apart from /var/lib/containers so that nothing else on the machine sees or shares it.
BUILDAH_ROOT=$IMAGES_CACHE/storage
BUILDAH_RUNROOT=$IMAGES_CACHE/run
# The exported images (docker-archive tars, which `ctr images import` reads with their full names).
IMAGES_OUT=$IMAGES_CACHE/out

log() { printf '[images %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
elapsed() { local s=$(( $(date +%s) - $1 )); printf '%dm%02ds' $((s / 60)) $((s % 60)); }

# TMPDIR: buildah keeps RUN --mount=type=cache directories (the Dockerfile's Maven repository) below it, here in
# the cache rather than in /var/tmp.
BUILDAH_TMP=$IMAGES_CACHE/tmp
bah() { TMPDIR=$BUILDAH_TMP buildah --root "$BUILDAH_ROOT" --runroot "$BUILDAH_RUNROOT" --storage-driver overlay "$@"; }

# Unmounts whatever buildah's storage still has mounted below our cache (layer mounts, and the private bind mount
# the overlay driver puts on its own directory), deepest first.
unmount_storage() {
  local m
  bah umount --all >/dev/null 2>&1 || true
  while read -r m; do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
  done < <(awk -v p="$IMAGES_CACHE/" 'index($2, p) == 1 { print $2 }' /proc/self/mounts | sort -r)
}

# The archive an image is exported to: localhost/proxysql:2.7.1-local -> localhost_proxysql_2.7.1-local.tar
archive_of() { printf '%s/%s.tar' "$IMAGES_OUT" "$(printf '%s' "$1" | tr '/:' '__')"; }
