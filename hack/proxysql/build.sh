#!/usr/bin/env bash
# Builds real ProxySQL from the upstream release sources in ../shared/third_party/proxysql, once per machine, into a
# cache outside the repository:
#   $CACHE/proxysql-<version>/bin/proxysql        for every version in versions.env (or those named as arguments)
# Nothing is downloaded: the sources and the three dependency tarballs missing from them (openssl, curl, civetweb;
# Debian's upstream tarballs stand in) come from shared/, and every file is checked against SHA256SUMS first.
# The bundled dependencies (deps/) are the same for 2.6.5 and 2.7.1: they are built once and copied into the other
# tree (checked: only a tree whose deps/ sources are identical reuses them). Prints progress with timings on stderr, and the cache directory on its last line.
#
#   hack/proxysql/build.sh              # every version of versions.env
#   hack/proxysql/build.sh 2.7.1        # one version
#   PROXYSQL_SOURCES=/path/to/proxysql  # where the sources are (default: ../shared/third_party/proxysql)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=versions.env
source "$here/versions.env"
CACHE=${PROXYSQL_OPERATOR_CACHE:-$HOME/.cache/proxysql-operator}
SOURCES=${PROXYSQL_SOURCES:-$repo/../shared/third_party/proxysql}
JOBS=${PROXYSQL_BUILD_JOBS:-$(nproc)}
# Two builds into one cache corrupt it (make test builds this in the background; a developer may run it by hand):
# the second waits for the first, then finds its versions complete.
mkdir -p "$CACHE"
exec 9>"$CACHE/.proxysql-build.lock"
flock 9
mkdir -p "$CACHE"
log() { printf '[proxysql-build %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
elapsed() { local s=$(( $(date +%s) - $1 )); printf '%dm%02ds' $((s / 60)) $((s % 60)); }

versions=("$@")
[ ${#versions[@]} -gt 0 ] || read -r -a versions <<<"$PROXYSQL_VERSIONS"

all_built() {
  local v
  for v in "${versions[@]}"; do [ -f "$CACHE/proxysql-$v/.complete" ] || return 1; done
}
if all_built; then
  echo "$CACHE"
  exit 0
fi

# Debian packages the build needs (see SOURCES.md); installed once, never a service started.
need=()
for p in automake bzip2 cmake make g++ gcc git openssl libssl-dev patch libgnutls28-dev libtool uuid-dev zlib1g-dev \
         python3 pkg-config gawk xz-utils; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  log "installing build packages: ${need[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

[ -f "$SOURCES/SHA256SUMS" ] || die "no ProxySQL sources at $SOURCES (set PROXYSQL_SOURCES)"
log "verifying checksums of $SOURCES"
(cd "$SOURCES" && sha256sum --quiet -c SHA256SUMS) || die "checksum mismatch in $SOURCES: refusing to build"

work="$CACHE/src/proxysql"
mkdir -p "$work"

# Unpacks one version's source and puts the substitute dependency tarballs where its deps/Makefile looks for them.
prepare_tree() {
  local v=$1 tree=$2
  rm -rf "$tree" && mkdir -p "$tree"
  tar -xzf "$SOURCES/proxysql-$v-src.tar.gz" -C "$tree" --strip-components=1
  [ -d "$tree/deps" ] || die "proxysql-$v-src.tar.gz has no proxysql-$v/deps"
  cp "$SOURCES/debian-orig/openssl_$OPENSSL_VERSION.orig.tar.gz" "$tree/deps/libssl/openssl-$OPENSSL_VERSION.tar.gz"
  ln -sfn "openssl-$OPENSSL_VERSION" "$tree/deps/libssl/openssl"
  cp "$SOURCES/debian-orig/curl_$CURL_VERSION.orig.tar.gz" "$tree/deps/curl/curl-$CURL_VERSION.tar.gz"
  ln -sfn "curl-$CURL_VERSION" "$tree/deps/curl/curl"
  # prometheus-cpp unpacks civetweb-*.tar.gz (gzip, one top folder) into its 3rdparty/civetweb.
  local tmp; tmp=$(mktemp -d)
  tar -xJf "$SOURCES/debian-orig/civetweb_$CIVETWEB_VERSION+dfsg.orig.tar.xz" -C "$tmp"
  local top; top=$(ls "$tmp")
  [ "$(echo "$top" | wc -l)" -eq 1 ] || die "the civetweb tarball has more than one top folder"
  tar -czf "$tree/deps/prometheus-cpp/civetweb-v$CIVETWEB_VERSION.tar.gz" -C "$tmp" "$top"
  rm -rf "$tmp"
  # ProxySQL copies OpenSSL's private struct bio_st and its check compares the text literally; OpenSSL 3.0.22 lays out
  # the same fields with other whitespace. Compare with whitespace squeezed (the layout is what matters).
  cat >"$tree/deps/libssl/verify-bio_st-match.sh" <<'EOF'
#!/usr/bin/env bash
set -euo pipefail
cd "$(dirname "$0")/../.."
squeeze() { tr -s '[:space:]' ' '; }
dep=$(sed -n '/^struct bio_st {/,/}/p' deps/libssl/openssl/crypto/bio/bio_local.h | squeeze)
lib=$(sed '/^\/\*/,/*\//d' lib/mysql_data_stream.cpp | sed -n '/^struct bio_st {/,/}/p' | squeeze)
[ -n "$dep" ] && [[ "$lib" == *"$dep"* ]] || { echo "FAIL - struct bio_st does not match OpenSSL's"; exit 1; }
echo "PASS - struct bio_st matches OpenSSL's (whitespace squeezed)"
EOF
  chmod +x "$tree/deps/libssl/verify-bio_st-match.sh"
}

# ClickHouse support is left out (not used by the operator; saves building clickhouse-cpp), and so is debug info.
make_flags=(OPTZ="-O2" CC=gcc CXX=g++)

# A fingerprint of a tree's pristine deps/ sources: built deps are reused only by a tree with the same fingerprint.
deps_fingerprint() {
  (cd "$1" && { find deps -type f -print0 | sort -z | xargs -0 sha256sum; find deps -type l -printf '%p -> %l\n' | sort; } \
    | sha256sum | cut -d' ' -f1)
}

# Built deps/ folders are kept as $work/deps-<fingerprint> until every version is built, so a second version, or a
# rerun after an interrupted build, does not build them again.
build_version() {
  local v=$1 tree="$work/proxysql-$1" out="$CACHE/proxysql-$1" t0 fp
  local git_version_var="PROXYSQL_GIT_VERSION_${v//./_}"
  local git_version=${!git_version_var:?"versions.env lacks $git_version_var"}
  t0=$(date +%s)
  log "ProxySQL $v: unpacking"
  prepare_tree "$v" "$tree"
  fp=$(deps_fingerprint "$tree")
  local built="$work/deps-$fp"
  if [ -f "$built/.complete" ]; then
    log "ProxySQL $v: reusing dependencies already built from identical sources"
  else
    log "ProxySQL $v: building bundled dependencies with $JOBS jobs (openssl, curl, jemalloc, re2, sqlite3, mariadb client...; about 11 min on 2 cores)"
    make -C "$tree/deps" -j"$JOBS" "${make_flags[@]}" >"$work/proxysql-$v.deps.log" 2>&1 \
      || { tail -40 "$work/proxysql-$v.deps.log" >&2; die "ProxySQL $v: dependencies failed (log: $work/proxysql-$v.deps.log)"; }
    rm -rf "$built" && cp -a "$tree/deps" "$built" && touch "$built/.complete"
    log "ProxySQL $v: dependencies built after $(elapsed "$t0")"
  fi
  rm -rf "$tree/deps" && cp -a "$built" "$tree/deps"
  log "ProxySQL $v: compiling libproxysql and the proxysql binary (about 5 to 8 min on 2 cores)"
  { make -C "$tree/lib" -j"$JOBS" GIT_VERSION="$git_version" "${make_flags[@]}" \
      && make -C "$tree/src" -j"$JOBS" GIT_VERSION="$git_version" "${make_flags[@]}"; } >"$work/proxysql-$v.build.log" 2>&1 \
    || { tail -40 "$work/proxysql-$v.build.log" >&2; die "ProxySQL $v: compile failed (log: $work/proxysql-$v.build.log)"; }
  install_binary "$v" "$tree/src/proxysql" "$git_version"
  rm -rf "$tree"
  log "ProxySQL $v: done in $(elapsed "$t0")"
}

# Copies the binary into the cache (stripped) once it reports the expected version.
install_binary() {
  local v=$1 binary=$2 git_version=$3 out="$CACHE/proxysql-$1" reported
  rm -rf "$out.tmp" && mkdir -p "$out.tmp/bin"
  cp "$binary" "$out.tmp/bin/proxysql"
  strip "$out.tmp/bin/proxysql"
  # It prints jemalloc's settings first; the version line is "ProxySQL version <GIT_VERSION>, codename ...".
  reported=$("$out.tmp/bin/proxysql" --version 2>&1 | grep -m1 '^ProxySQL version' || true)
  [[ "$reported" == "ProxySQL version $git_version"* ]] \
    || die "ProxySQL $v: the built binary reports '${reported:-no version}', expected ProxySQL version $git_version"
  rm -rf "$out" && mv "$out.tmp" "$out" && touch "$out/.complete"
  log "ProxySQL $v: $reported"
}

start=$(date +%s)
for v in "${versions[@]}"; do
  [ -f "$SOURCES/proxysql-$v-src.tar.gz" ] || die "no source archive for ProxySQL $v in $SOURCES"
  [ -f "$CACHE/proxysql-$v/.complete" ] || build_version "$v"
done
rm -rf "$work"
log "all ProxySQL versions built in $(elapsed "$start") (${versions[*]})"
echo "$CACHE"
