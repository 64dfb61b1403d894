#!/usr/bin/env bash
# Builds the container images a real node needs, with no registry and no Docker: everything comes from Debian's
# packages (mmdebstrap, apt inside buildah), the ProxySQL binaries hack/proxysql/build.sh builds from source, and
# Maven Central (for the operator's own Dockerfile). Every image is exported as a docker-archive tar, which
# `ctr -n k8s.io images import` reads with its full name (hack/images/import.sh imports them all).
#
#   hack/images/build.sh            # build what is missing or out of date, print the archive directory last
#   IMAGES_FORCE=1 hack/images/build.sh   # rebuild everything (the base root filesystem too)
#   IMAGES_WITHOUT_OPERATOR=1 hack/images/build.sh   # ProxySQL and MariaDB only (make e2e runs the operator in its JVM)
#
# Images (hack/images/README.md):
#   localhost/proxysql:<v>-local                        every version in hack/proxysql/versions.env
#   localhost/proxysql:<newest>-exits-local             the newest one whose ProxySQL exits at start (make e2e)
#   localhost/mariadb:10.11-local                       Debian's mariadb-server, initialises an empty datadir
#   ghcr.io/proxysql-operator/proxysql-operator:<tag>   the project's Dockerfile, the name deploy/install uses
# and, kept in buildah's storage only (they are FROM images, not deployed):
#   localhost/debian-base:12-<key>, localhost/debian12-maven-jdk17:<key>, localhost/debian12-jre17:<key>
#
# Cached under ~/.cache/proxysql-operator/images (PROXYSQL_OPERATOR_CACHE moves it): each image is keyed by a hash
# of its inputs (Containerfile, entrypoint, binary, base, Dockerfile + pom.xml + src/), so a change rebuilds only
# what depends on it. Needs root (mmdebstrap and buildah mount filesystems); installs its Debian tools when missing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=lib.sh
source "$here/lib.sh"
# shellcheck source=../proxysql/versions.env
source "$repo/hack/proxysql/versions.env"

[ "$(id -u)" -eq 0 ] || die "run as root: mmdebstrap and buildah mount filesystems"
started=$(date +%s)
mkdir -p "$IMAGES_CACHE/base" "$IMAGES_OUT" "$BUILDAH_ROOT" "$BUILDAH_RUNROOT" "$BUILDAH_TMP"

need=()
for p in mmdebstrap buildah runc umoci; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  log "installing Debian packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# Nothing stays mounted or half-built when the script ends, however it ends.
cleanup() {
  bah rm --all >/dev/null 2>&1 || true
  unmount_storage
}
trap cleanup EXIT

# A short hash of strings and files (names and contents), the key of what an image is built from.
key_of() {
  local item
  for item in "$@"; do
    if [ -f "$item" ]; then
      printf 'file %s\n' "${item#"$repo"/}"
      sha256sum <"$item"
    else
      printf 'value %s\n' "$item"
    fi
  done | sha256sum | cut -c1-16
}
have_image() { bah inspect --type image "$1" >/dev/null 2>&1; }

# ---- 1. the Debian 12 base root filesystem (mmdebstrap, minbase), from the apt sources this machine uses ----------
sources=/etc/apt/sources.list.d/debian.sources
[ -f "$sources" ] || die "no $sources: which Debian mirror should the base use?"
# Documentation, man pages and translations are left out (nothing in a container reads them); apt's lists are
# removed by mmdebstrap, so every image starts from `apt-get update`.
mmdebstrap_args=(--variant=minbase --mode=root --format=tar
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*'
  --dpkgopt='path-include=/usr/share/doc/*/copyright' --dpkgopt='path-exclude=/usr/share/locale/*'
  --dpkgopt='path-exclude=/usr/share/info/*'
  --aptopt='APT::Install-Recommends "false"' --aptopt='Acquire::Languages "none"'
  # update-alternatives links man pages of packages installed later (Java) and fails when their directory is gone.
  --customize-hook='mkdir -p "$1"/usr/share/man/man1 "$1"/usr/share/man/man7 "$1"/usr/share/man/man8')
rootfs_key=$(key_of "$(mmdebstrap --version)" "${mmdebstrap_args[@]}" bookworm "$sources")
base_tar=$IMAGES_CACHE/base/debian-12-minbase-$rootfs_key.tar
# The image's configuration is an input too: a change to it must give the image another tag (and rebuild the rest).
base_config=(--env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --env LANG=C.UTF-8 --cmd /bin/bash
  --created-by "mmdebstrap --variant=minbase bookworm")
base_key=$(key_of "$rootfs_key" "${base_config[@]}")
base_image=localhost/debian-base:12-$base_key
if [ -n "${IMAGES_FORCE:-}" ] || [ ! -f "$base_tar" ]; then
  log "base: mmdebstrap --variant=minbase bookworm (Debian packages from $(awk '/^URIs:/ {print $2}' "$sources" | paste -sd' '))"
  t=$(date +%s)
  rm -f "$base_tar.tmp"
  if ! mmdebstrap "${mmdebstrap_args[@]}" bookworm "$base_tar.tmp" "$sources" \
       2> >(grep --line-buffered -vE '^I: (running (apt-get|dpkg)|[a-z_]+ing [^ ]+ \.\.\.$)' | sed -u 's|^|    [mmdebstrap] |' >&2); then
    die "mmdebstrap failed"
  fi
  mv "$base_tar.tmp" "$base_tar"
  find "$IMAGES_CACHE/base" -name 'debian-12-minbase-*.tar' ! -name "$(basename "$base_tar")" -delete
  log "base: root filesystem $(du -h "$base_tar" | cut -f1) in $(elapsed "$t")"
else
  log "base: cached root filesystem $base_tar"
fi
if [ -n "${IMAGES_FORCE:-}" ] || ! have_image "$base_image"; then
  log "base: importing the root filesystem as $base_image"
  ctr=$(bah from scratch)
  bah add --quiet "$ctr" "$base_tar" / >/dev/null
  bah config "${base_config[@]}" "$ctr"
  bah commit --quiet --rm "$ctr" "$base_image" >/dev/null
fi

# ---- building and exporting ------------------------------------------------------------------------------------------
# bud_image NAME KEY CONTEXT CONTAINERFILE [bud args...]: builds NAME (unless its archive or image already carries KEY)
# with `buildah bud`, host network for apt and Maven Central only (RUN steps download packages, nothing listens).
bud_image() {
  local name=$1 key=$2 context=$3 file=$4 t
  shift 4
  t=$(date +%s)
  log "$name: buildah bud -f ${file#"$repo"/} (inputs $key)"
  if ! bah bud --network host --pull-never --layers=false --label "dev.proxysql.operator.inputs=$key" \
    -f "$file" -t "$name" "$@" "$context" 2>&1 | quiet_apt | sed -u "s|^|    [$name] |" >&2; then
    die "$name: build failed"
  fi
  log "$name: built in $(elapsed "$t")"
}
# apt's and dpkg's per-package lines are left out of the progress (errors and everything else stay).
quiet_apt() {
  grep --line-buffered -vE '^(Get:[0-9]+ |Hit:|Ign:|Selecting previously|Preparing to unpack|Unpacking |Setting up |\(Reading database|Processing triggers|Reading package lists|Building dependency tree|Reading state information|update-alternatives: using|Adding debian:|Created symlink|  [a-z0-9]|The following (NEW|additional) packages|Suggested packages|Recommended packages|Need to get|After this operation|debconf: delaying|Fetched |Updating certificates|[0-9]+ added, [0-9]+ removed|Running hooks in|done\.$)' || true
}
inputs_label() {
  bah inspect --type image --format '{{index .OCIv1.Config.Labels "dev.proxysql.operator.inputs"}}' "$1" 2>/dev/null || true
}
# An intermediate (FROM) image: kept in buildah's storage, tagged with its key.
ensure_base_image() {
  local name=$1 key=$2 context=$3 file=$4
  shift 4
  if [ -z "${IMAGES_FORCE:-}" ] && have_image "$name"; then
    log "$name: cached"
  else
    bud_image "$name" "$key" "$context" "$file" "$@"
  fi
}
# A deployable image: built when its archive is missing or was built from other inputs, then exported.
ensure_exported() {
  local name=$1 key=$2 context=$3 file=$4 archive
  shift 4
  archive=$(archive_of "$name")
  if [ -z "${IMAGES_FORCE:-}" ] && [ -f "$archive" ] && [ "$(cat "$archive.inputs" 2>/dev/null)" = "$key" ]; then
    log "$name: cached ($(du -h "$archive" | cut -f1), inputs $key)"
    return
  fi
  if [ -n "${IMAGES_FORCE:-}" ] || [ "$(inputs_label "$name")" != "$key" ]; then
    bud_image "$name" "$key" "$context" "$file" "$@"
  fi
  rm -f "$archive" "$archive.tmp" "$archive.inputs"
  bah push --quiet "$name" "docker-archive:$archive.tmp:$name" >/dev/null
  mv "$archive.tmp" "$archive"
  echo "$key" >"$archive.inputs"
  log "$name: exported to $archive ($(du -h "$archive" | cut -f1))"
}

# ---- 2. ProxySQL, one image per version ---------------------------------------------------------------------------------
read -r -a versions <<<"$PROXYSQL_VERSIONS"
proxysql_cache=$("$repo/hack/proxysql/build.sh" | tail -n1)
for v in "${versions[@]}"; do
  bin=$proxysql_cache/proxysql-$v/bin/proxysql
  [ -x "$bin" ] || die "no ProxySQL $v binary at $bin (hack/proxysql/build.sh)"
  ctx=$IMAGES_CACHE/context/proxysql-$v
  mkdir -p "$ctx"
  cp "$here/proxysql/Containerfile" "$here/proxysql/entrypoint.sh" "$ctx/"
  cmp -s "$bin" "$ctx/proxysql" || cp "$bin" "$ctx/proxysql"
  key=$(key_of "$base_key" "$here/proxysql/Containerfile" "$here/proxysql/entrypoint.sh" "$bin")
  ensure_exported "localhost/proxysql:$v-local" "$key" "$ctx" "$ctx/Containerfile" --build-arg "BASE=$base_image"
done

# The newest version again, with a ProxySQL that exits at start (a target that must fail and roll back).
newest=$(printf '%s\n' "${versions[@]}" | sort -V | tail -n1)
bin=$proxysql_cache/proxysql-$newest/bin/proxysql
key=$(key_of "$base_key" "$here/proxysql/Containerfile" "$here/proxysql/entrypoint.sh" "$bin" "$here/proxysql-exits/Containerfile")
ensure_exported "localhost/proxysql:$newest-exits-local" "$key" "$here/proxysql-exits" "$here/proxysql-exits/Containerfile" \
  --build-arg "BASE=localhost/proxysql:$newest-local"

# ---- 3. the MariaDB backend -----------------------------------------------------------------------------------------
key=$(key_of "$base_key" "$here/mariadb/Containerfile" "$here/mariadb/entrypoint.sh")
ensure_exported localhost/mariadb:10.11-local "$key" "$here/mariadb" "$here/mariadb/Containerfile" --build-arg "BASE=$base_image"

# ---- 4. the operator, from the project's own Dockerfile, on local Maven/JDK and JRE bases --------------------------
# Skipped with IMAGES_WITHOUT_OPERATOR=1: its key covers every file under src/main, so any edit would rebuild it for
# callers that never run it (make e2e runs the operator in the test JVM).
if [ -z "${IMAGES_WITHOUT_OPERATOR:-}" ]; then
  # The build stage downloads from Maven Central over HTTPS: its base trusts the extra CAs this machine trusts (see the
  # Containerfile; a TLS-inspecting proxy's CA, for example), and only those from /usr/local/share/ca-certificates.
  ctx=$IMAGES_CACHE/context/maven-jdk17
  rm -rf "$ctx" && mkdir -p "$ctx/extra-ca-certificates"
  cp "$here/maven-jdk17/Containerfile" "$ctx/"
  echo "Extra CAs of the building machine (hack/images/build.sh)" >"$ctx/extra-ca-certificates/README"
  extra_cas=()
  while IFS= read -r -d '' crt; do
    cp "$crt" "$ctx/extra-ca-certificates/"
    extra_cas+=("$ctx/extra-ca-certificates/$(basename "$crt")")
  done < <(find /usr/local/share/ca-certificates -maxdepth 1 -name '*.crt' -print0 2>/dev/null | sort -z)
  [ ${#extra_cas[@]} -eq 0 ] || log "maven-jdk17: the build stage trusts this machine's extra CAs too: ${extra_cas[*]##*/}"
  maven_key=$(key_of "$base_key" "$here/maven-jdk17/Containerfile" "${extra_cas[@]}")
  maven_image=localhost/debian12-maven-jdk17:$maven_key
  ensure_base_image "$maven_image" "$maven_key" "$ctx" "$ctx/Containerfile" --build-arg "BASE=$base_image"
  jre_key=$(key_of "$base_key" "$here/jre17/Containerfile")
  jre_image=localhost/debian12-jre17:$jre_key
  ensure_base_image "$jre_image" "$jre_key" "$here/jre17" "$here/jre17/Containerfile" --build-arg "BASE=$base_image"

  # The name deploy/install's Deployment runs (its kustomization sets the tag).
  operator_tag=$(awk '/newTag:/ {print $2}' "$repo/deploy/install/kustomization.yaml")
  [ -n "$operator_tag" ] || die "no newTag in deploy/install/kustomization.yaml"
  operator_image=ghcr.io/proxysql-operator/proxysql-operator:$operator_tag
  # What the jar is built from, in a stable order: pom.xml and src/main. The Dockerfile copies src/test too (its
  # -DskipTests compiles it), but nothing of it goes into the jar, so an edit to a test (make e2e's own) does not
  # rebuild the image.
  src_files=()
  while IFS= read -r f; do src_files+=("$repo/$f"); done < <(cd "$repo" && find pom.xml src/main -type f | LC_ALL=C sort)
  key=$(key_of "$maven_key" "$jre_key" "$repo/Dockerfile" "$repo/.dockerignore" "${src_files[@]}")
  ensure_exported "$operator_image" "$key" "$repo" "$repo/Dockerfile" \
    --build-arg "MAVEN_IMAGE=$maven_image" --build-arg "JRE_IMAGE=$jre_image"

  # Intermediate images built from other inputs than now, and layers no image uses any more, take only disk space.
  for repo_name in localhost/debian-base localhost/debian12-maven-jdk17 localhost/debian12-jre17; do
    while read -r stale; do
      log "removing $stale (built from other inputs)"
      bah rmi "$stale" >/dev/null 2>&1 || true
    done < <(bah images --noheading --format '{{.Name}}:{{.Tag}}' --filter "reference=$repo_name" 2>/dev/null \
               | grep -vxF -e "$base_image" -e "$maven_image" -e "$jre_image" || true)
  done
else
  log "operator image skipped (IMAGES_WITHOUT_OPERATOR=1)"
  # Stale base images only: the Maven/JDK and JRE bases were not looked at, so they are not judged stale.
  while read -r stale; do
    log "removing $stale (built from other inputs)"
    bah rmi "$stale" >/dev/null 2>&1 || true
  done < <(bah images --noheading --format '{{.Name}}:{{.Tag}}' --filter "reference=localhost/debian-base" 2>/dev/null \
             | grep -vxF -e "$base_image" || true)
fi
bah rmi --prune >/dev/null 2>&1 || true

log "done in $(elapsed "$started"); images:"
for a in "$IMAGES_OUT"/*.tar; do log "  $(basename "$a") $(du -h "$a" | cut -f1)"; done
echo "$IMAGES_OUT"
