#!/usr/bin/env bash
# Proves that the images hack/images/build.sh exported run, without Kubernetes: each archive is converted to an OCI
# layout (skopeo), unpacked into a runtime bundle (umoci) and run with runc, the way the kubelet's containerd would
# run it (the image's own entrypoint, user and environment; mounts and security settings like the pod's: no
# capabilities, no privilege escalation).
#
#   hack/images/smoke.sh
#
# Two network namespaces made here stand in for two pods, joined by a veth pair and nothing else (no route or NAT
# to the outside): "db" (10.254.254.1) runs the MariaDB image; "px" (10.254.254.2) runs each ProxySQL image in turn,
# with a config the operator's renderer produced (its golden test fixture) pointed at that MariaDB. Checks:
#   mariadb   an empty datadir is initialised, root logs in with MARIADB_ROOT_PASSWORD from the other namespace
#             (it listens on the pod's interfaces, not only loopback) and a wrong password is refused
#   proxysql  runs as uid 999 from the mounted config; the admin port answers SELECT @@version with the version of
#             hack/proxysql/versions.env (as admin:admin from 127.0.0.1 and as the config's cluster user); a client
#             query on 6033 reaches MariaDB through ProxySQL; SIGTERM stops it
#   operator  `--version` and `--help` run as uid 65532 on a read-only root filesystem (as in deploy/install)
#   import    import.sh puts every archive into a containerd of its own (k8s.io namespace) under the names pods use
# Every wait has a deadline; whatever it started (containers, namespaces, bundles) is removed when it ends.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=lib.sh
source "$here/lib.sh"
# shellcheck source=../proxysql/versions.env
source "$repo/hack/proxysql/versions.env"

[ "$(id -u)" -eq 0 ] || die "run as root (runc, network namespaces)"
need=()
for p in runc umoci skopeo jq iproute2 mariadb-client containerd; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  log "installing Debian packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

started=$(date +%s)
work=$(mktemp -d "${TMPDIR:-/tmp}/images-smoke.XXXXXX")
state=$work/runc
ns_db=pxo-smoke-db-$$
ns_px=pxo-smoke-px-$$
DB_IP=10.254.254.1
PX_IP=10.254.254.2
containers=()
failures=0

containerd_pid=""
cleanup() {
  local id
  [ -z "$containerd_pid" ] || kill -KILL "$containerd_pid" 2>/dev/null || true
  for id in "${containers[@]}"; do
    runc --root "$state" kill "$id" KILL >/dev/null 2>&1 || true
    runc --root "$state" delete --force "$id" >/dev/null 2>&1 || true
  done
  ip netns del "$ns_db" 2>/dev/null || true
  ip netns del "$ns_px" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

pass() { log "  PASS $*"; }
fail() { log "  FAIL $*"; failures=$((failures + 1)); }

# await SECONDS DESCRIPTION COMMAND...: runs COMMAND until it succeeds, at most SECONDS; polls every 0.2 s. Stops
# early when the container named in $watch (if any) is no longer running.
watch=""
await() {
  local seconds=$1 what=$2 deadline out
  shift 2
  deadline=$(( $(date +%s) + seconds ))
  while true; do
    if out=$("$@" 2>&1); then
      printf '%s' "$out"
      return 0
    fi
    if [ -n "$watch" ] && [ "$(container_status "$watch")" != running ]; then
      log "  container $watch stopped while waiting for $what; its output:"
      tail -n 30 "$work/$watch.log" | sed 's/^/      /' >&2
      return 1
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      log "  gave up after ${seconds}s waiting for $what; last error: $(printf '%s' "$out" | tail -n 3)"
      [ -z "$watch" ] || tail -n 30 "$work/$watch.log" | sed 's/^/      /' >&2
      return 1
    fi
    sleep 0.2
  done
}
container_status() { runc --root "$state" state "$1" 2>/dev/null | jq -r .status || echo gone; }

# bundle IMAGE DIR: the image's archive, as a runtime bundle (rootfs + config.json from the image's config).
bundle() {
  local image=$1 dir=$2 archive
  archive=$(archive_of "$image")
  [ -f "$archive" ] || die "no archive for $image ($archive): run hack/images/build.sh first"
  skopeo copy --quiet "docker-archive:$archive" "oci:$work/oci:$(basename "$dir")" >/dev/null
  umoci unpack --image "$work/oci:$(basename "$dir")" "$dir" >/dev/null
}

# configure DIR NETNS JQ-FILTER: no terminal, the given network namespace, no capabilities at all and no privilege
# escalation (what the operator's pods set: capabilities drop ALL, allowPrivilegeEscalation false), plus whatever
# the filter changes (mounts, env, args).
configure() {
  local dir=$1 netns=$2 filter=$3
  jq --arg netns "/var/run/netns/$netns" '
      .process.terminal = false
    | .process.capabilities = {bounding: [], effective: [], inheritable: [], permitted: [], ambient: []}
    | .process.noNewPrivileges = true
    | .linux.namespaces = ([.linux.namespaces[] | select(.type != "network")] + [{type: "network", path: $netns}])
    | '"$filter" "$dir/config.json" >"$dir/config.json.new"
  mv "$dir/config.json.new" "$dir/config.json"
}

# start ID DIR: runs the bundle detached; its output goes to $work/ID.log.
start() {
  local id=$1 dir=$2
  containers+=("$id")
  runc --root "$state" run --detach --bundle "$dir" "$id" </dev/null >"$work/$id.log" 2>&1 \
    || { log "  runc could not start $id:"; sed 's/^/      /' "$work/$id.log" >&2; return 1; }
}

# stop ID SECONDS: SIGTERM, as the kubelet sends it, and the container must be gone within SECONDS.
stop() {
  local id=$1 seconds=$2
  runc --root "$state" kill "$id" TERM
  watch="" await "$seconds" "$id to stop on SIGTERM" sh -c '[ "$(runc --root "$1" state "$2" 2>/dev/null | jq -r .status)" = stopped ]' _ "$state" "$id" >/dev/null
}

# The uids of every process in a container.
uids_of() {
  local pid
  for pid in $(runc --root "$state" ps --format json "$1" | jq -r '.[]'); do
    awk '/^Uid:/ {print $2}' "/proc/$pid/status"
  done | sort -u | paste -sd,
}

sql() { # sql NETNS HOST PORT USER PASSWORD QUERY
  ip netns exec "$1" mariadb --connect-timeout=2 --protocol=tcp -h "$2" -P "$3" -u "$4" --password="$5" -N -B -e "$6"
}

# ---- two "pods": network namespaces joined by a veth pair, loopback up, nothing else ------------------------------
log "network: namespaces $ns_db ($DB_IP) and $ns_px ($PX_IP), one veth pair between them, no other route"
ip netns add "$ns_db"
ip netns add "$ns_px"
ip link add "vdb$$" netns "$ns_db" type veth peer name "vpx$$" netns "$ns_px"
ip -n "$ns_db" addr add "$DB_IP/30" dev "vdb$$"
ip -n "$ns_px" addr add "$PX_IP/30" dev "vpx$$"
for ns in "$ns_db" "$ns_px"; do ip -n "$ns" link set lo up; done
ip -n "$ns_db" link set "vdb$$" up
ip -n "$ns_px" link set "vpx$$" up

# ---- MariaDB ---------------------------------------------------------------------------------------------------------
ROOT_PW='Smoke-root-Pw1'
log "mariadb: localhost/mariadb:10.11-local"
bundle localhost/mariadb:10.11-local "$work/mariadb"
install -d -m 0777 "$work/mariadb-data"   # like an emptyDir
configure "$work/mariadb" "$ns_db" "
    .process.env += [\"MARIADB_ROOT_PASSWORD=$ROOT_PW\"]
  | .mounts += [{destination: \"/var/lib/mysql\", type: \"bind\", source: \"$work/mariadb-data\", options: [\"rbind\", \"rw\"]}]"
start mariadb "$work/mariadb"
watch=mariadb
if version=$(await 90 "MariaDB to answer as root on $DB_IP:3306 from the other namespace" \
    sql "$ns_px" "$DB_IP" 3306 root "$ROOT_PW" 'SELECT @@version'); then
  pass "mariadb initialised its empty datadir and answers SELECT @@version = $version, as root from $PX_IP (uid $(uids_of mariadb))"
else
  fail "mariadb did not answer"
fi
watch=""
if got=$(sql "$ns_db" 127.0.0.1 3306 root "$ROOT_PW" 'SELECT COUNT(*) FROM mysql.user WHERE User = "root"') && [ "$got" = 2 ] \
   && ! sql "$ns_db" 127.0.0.1 3306 root '' 'SELECT 1' >/dev/null 2>&1; then
  pass "mariadb: root has the password from 127.0.0.1 too, and exactly two accounts (localhost, %)"
else
  fail "mariadb: root from 127.0.0.1 inside its namespace: $got accounts, or no password needed"
fi
if out=$(sql "$ns_px" "$DB_IP" 3306 root wrong-password 'SELECT 1' 2>&1); then
  fail "mariadb accepted a wrong root password"
elif grep -q 'ERROR 1045' <<<"$out"; then
  pass "mariadb refuses a wrong root password (ERROR 1045)"
else
  fail "mariadb: a wrong password failed otherwise than with ERROR 1045: $out"
fi

# ---- ProxySQL, each version in turn ------------------------------------------------------------------------------------
# The config the operator's renderer wrote for its golden test, with the backend servers replaced by this MariaDB (a
# standalone server: no Group Replication hostgroups). Its monitor user is created on MariaDB, as the operator does.
fixture=$repo/src/test/resources/golden/proxysql-config/single-replica-group-replication.cnf
[ -f "$fixture" ] || die "no rendered config fixture at $fixture"
cnf_value() { sed -n "s/^ *$1=\"\\(.*\\)\"\$/\\1/p" "$fixture" | head -n1; }
monitor_user=$(cnf_value monitor_username)
monitor_pw=$(cnf_value monitor_password)
cluster_user=$(cnf_value cluster_username)
cluster_pw=$(cnf_value cluster_password)
install -d "$work/config"
{
  awk '/^(mysql_servers|mysql_group_replication_hostgroups)=/ {skip = 1; next}
       skip && /^\)/ {skip = 0; next}
       !skip' "$fixture"
  printf 'mysql_servers=\n(\n    {\n        hostgroup_id=2\n        hostname="%s"\n        port=3306\n        use_ssl=0\n    }\n)\n' "$DB_IP"
} >"$work/config/proxysql.cnf"
# The Secret volume: read-only, mode 0440, group 999 (the pod's fsGroup).
chown root:999 "$work/config/proxysql.cnf"
chmod 0440 "$work/config/proxysql.cnf"
sql "$ns_px" "$DB_IP" 3306 root "$ROOT_PW" "CREATE USER '$monitor_user'@'%' IDENTIFIED BY '$monitor_pw';
  GRANT USAGE, REPLICATION CLIENT ON *.* TO '$monitor_user'@'%';
  CREATE USER 'app'@'%' IDENTIFIED BY 'App-Pw-0042'; GRANT SELECT ON *.* TO 'app'@'%';" \
  || fail "could not create the monitor and app users on MariaDB"

read -r -a versions <<<"$PROXYSQL_VERSIONS"
for v in "${versions[@]}"; do
  var=PROXYSQL_GIT_VERSION_${v//./_}
  expected=${!var}
  id=proxysql-${v//./-}
  log "proxysql: localhost/proxysql:$v-local (expects $expected)"
  bundle "localhost/proxysql:$v-local" "$work/$id"
  install -d -m 0777 "$work/$id-data"
  configure "$work/$id" "$ns_px" "
      .process.user.additionalGids = [999]
    | .mounts += [{destination: \"/var/lib/proxysql\", type: \"bind\", source: \"$work/$id-data\", options: [\"rbind\", \"rw\"]},
                  {destination: \"/etc/custom-config\", type: \"bind\", source: \"$work/config\", options: [\"rbind\", \"ro\"]}]
    | .process.env += [\"BACKEND_SERVER=$DB_IP\", \"BACKEND_PORT=3306\", \"FRONTEND_TLS_ENABLED=false\", \"BACKEND_TLS_ENABLED=false\"]"
  start "$id" "$work/$id"
  watch=$id
  if got=$(await 60 "ProxySQL $v's admin port (admin:admin@127.0.0.1:6032)" sql "$ns_px" 127.0.0.1 6032 admin admin 'SELECT @@version'); then
    if [ "$got" = "$expected" ]; then
      pass "proxysql $v started from the mounted config; admin port answers SELECT @@version = $got"
    else
      fail "proxysql $v answers SELECT @@version = $got, expected $expected"
    fi
  else
    fail "proxysql $v: admin port did not answer"
  fi
  uids=$(uids_of "$id")
  if [ "$uids" = 999 ]; then pass "proxysql $v: every process runs as uid 999"; else fail "proxysql $v: processes run as uid(s) $uids, not 999"; fi
  if got=$(sql "$ns_px" "$PX_IP" 6032 "$cluster_user" "$cluster_pw" 'SELECT @@version' 2>&1) && [ "$got" = "$expected" ]; then
    pass "proxysql $v: the config's cluster user logs in to the admin port on $PX_IP:6032"
  else
    fail "proxysql $v: cluster user on $PX_IP:6032: $got"
  fi
  sql "$ns_px" 127.0.0.1 6032 admin admin \
    "INSERT INTO mysql_users (username, password, default_hostgroup) VALUES ('app', 'App-Pw-0042', 2); LOAD MYSQL USERS TO RUNTIME;" \
    || fail "proxysql $v: could not add a user through the admin interface"
  if got=$(await 30 "a query through ProxySQL $v's port 6033 to MariaDB" sql "$ns_px" 127.0.0.1 6033 app App-Pw-0042 'SELECT @@version'); then
    pass "proxysql $v: a client query on 6033 reached MariaDB through ProxySQL (SELECT @@version = $got)"
  else
    fail "proxysql $v: no query through port 6033"
  fi
  watch=""
  if stop "$id" 30; then pass "proxysql $v stopped on SIGTERM"; else fail "proxysql $v did not stop within 30s of SIGTERM"; fi
done

# ---- the operator ----------------------------------------------------------------------------------------------------
operator_tag=$(awk '/newTag:/ {print $2}' "$repo/deploy/install/kustomization.yaml")
operator_image=ghcr.io/proxysql-operator/proxysql-operator:$operator_tag
log "operator: $operator_image"
bundle "$operator_image" "$work/operator"
# As deploy/install runs it: read-only root filesystem, /tmp an emptyDir.
configure "$work/operator" "$ns_px" '
    .root.readonly = true
  | .mounts += [{destination: "/tmp", type: "tmpfs", source: "tmpfs", options: ["nosuid", "nodev", "mode=1777"]}]'
entrypoint=$(jq -c .process.args "$work/operator/config.json")
for arg in --version --help; do
  jq --arg a "$arg" '.process.args += [$a]' "$work/operator/config.json" >"$work/operator/config.json.new"
  cp "$work/operator/config.json" "$work/operator/config.json.orig"
  mv "$work/operator/config.json.new" "$work/operator/config.json"
  containers+=("operator$arg")
  if out=$(timeout 120 runc --root "$state" run --bundle "$work/operator" "operator$arg" </dev/null 2>&1); then
    case $arg in
      --version) pass "operator $entrypoint --version as uid 65532, read-only root: $(printf '%s' "$out" | head -n1)" ;;
      --help)
        if grep -q -- '--controllers' <<<"$out"; then
          pass "operator --help prints its usage ($(wc -l <<<"$out") lines, e.g. $(grep -m1 -o -- '--controllers[^ ]*' <<<"$out"))"
        else
          fail "operator --help printed no usage: $(head -n 5 <<<"$out")"
        fi ;;
    esac
  else
    fail "operator $arg failed: $(tail -n 10 <<<"$out")"
  fi
  mv "$work/operator/config.json.orig" "$work/operator/config.json"
  runc --root "$state" delete --force "operator$arg" >/dev/null 2>&1 || true
done
op_user=$(jq -r '"\(.process.user.uid):\(.process.user.gid)"' "$work/operator/config.json")
if [ "$op_user" = 65532:65532 ]; then pass "operator image runs as $op_user"; else fail "operator image runs as $op_user, not 65532:65532"; fi

# ---- import.sh into a containerd of its own ----------------------------------------------------------------------------
# What the node will do: `ctr -n k8s.io images import` of every archive, under the names pods use. This containerd
# has its own root, state and socket under the work directory, no CRI plugin, and is stopped by its pid.
log "containerd: hack/images/import.sh into a private containerd (root, state and socket in $work)"
cat >"$work/containerd.toml" <<TOML
version = 2
root = "$work/containerd/root"
state = "$work/containerd/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$work/containerd/containerd.sock"
TOML
mkdir -p "$work/containerd"
containerd --config "$work/containerd.toml" >"$work/containerd.log" 2>&1 &
containerd_pid=$!
if await 30 "containerd's socket" ctr --address "$work/containerd/containerd.sock" version >/dev/null \
   && "$here/import.sh" "$work/containerd/containerd.sock" >"$work/import.log" 2>&1; then
  imported=$(ctr --address "$work/containerd/containerd.sock" -n k8s.io images ls -q)
  expected_names=(ghcr.io/proxysql-operator/proxysql-operator:"$operator_tag" localhost/mariadb:10.11-local)
  for v in "${versions[@]}"; do expected_names+=("localhost/proxysql:$v-local"); done
  missing=()
  for n in "${expected_names[@]}"; do grep -qxF "$n" <<<"$imported" || missing+=("$n"); done
  if [ ${#missing[@]} -eq 0 ]; then
    pass "import.sh: ctr -n k8s.io images import took every archive; containerd lists ${expected_names[*]}"
  else
    fail "import.sh: containerd lacks ${missing[*]} (it lists: $(paste -sd' ' <<<"$imported"))"
  fi
else
  fail "import.sh into a private containerd failed: $(tail -n 5 "$work/import.log" "$work/containerd.log" 2>/dev/null)"
fi
kill "$containerd_pid" 2>/dev/null || true
# Gone, or a zombie waiting for the `wait` below.
watch="" await 30 "containerd to stop" sh -c 's=$(cut -d" " -f3 "/proc/$1/stat" 2>/dev/null); [ -z "$s" ] || [ "$s" = Z ]' _ "$containerd_pid" >/dev/null \
  || { kill -KILL "$containerd_pid" 2>/dev/null || true; fail "containerd did not stop within 30s of SIGTERM"; }
wait "$containerd_pid" 2>/dev/null || true

if [ "$failures" -eq 0 ]; then
  log "all smoke checks passed in $(elapsed "$started")"
else
  log "$failures smoke check(s) FAILED (after $(elapsed "$started"))"
  exit 1
fi
