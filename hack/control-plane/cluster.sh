#!/usr/bin/env bash
# A local Kubernetes cluster for tests and development: a real etcd, kube-apiserver, kube-controller-manager
# and kube-scheduler, plus kwok simulating the kubelets of a few nodes. Everything runs as local processes
# started by `kwokctl --runtime binary` from binaries that build.sh compiled; nothing is downloaded.
#
# Usage: cluster.sh <command> [NAME] [args]
#   up NAME            create cluster NAME (or reuse it if it is healthy and was created with the same
#                      settings) and wait until it is usable; prints the kubeconfig path as the last stdout line
#   down NAME          stop every process of cluster NAME and delete its state
#   kubeconfig NAME    print the kubeconfig path
#   status NAME        say whether NAME exists and is healthy (exit 0 only if healthy)
#   logs NAME [COMP]   print the log of one component (etcd, kube-apiserver, kube-controller-manager,
#                      kube-scheduler, kwok-controller, audit, kwokctl), or the tail of all of them
#   logdir NAME        print the directory holding the component logs (audit.log too, when enabled)
#   webhook-client NAME  print the directory of the client identity the apiserver presents to admission webhooks
#                      (ca.crt, client.crt, client.key; see make_webhook_client)
#   audit-log NAME     print the audit log path (fails if the cluster runs without audit)
#   list               list clusters in the work dir
#
# Environment (read by `up`; changing any of them makes `up` recreate an existing cluster):
#   POD_READY_DELAY_MS       time from a pod running to it turning Ready (default 200). A pod can override it
#                            with the annotation kwok.proxysql.dev/ready-delay: "<Go duration>".
#   POD_DELETE_DELAY_MS      simulated termination time of a deleted pod (default 300; see README.md: with 0, an
#                            evicted StatefulSet pod can block the next eviction for 2 minutes)
#   NEVER_READY_IMAGE_REGEX  Go RE2 regex; pods with a container image matching it run but never become Ready
#                            (default "never-ready")
#   CLUSTER_NODES            number of kwok nodes (default 3)
#   CLUSTER_AUDIT            1 = run the apiserver with an audit log of all writes (default 0)
#   CLUSTER_AUDIT_POLICY     audit policy file (default hack/control-plane/audit-policy.yaml; implies audit)
#   CLUSTER_REAL_NODE        1 = prepare the cluster for a real node (hack/node/node.sh): kwok manages only its own
#                            fake nodes (annotation kwok.x-k8s.io/node=fake) and leaves other nodes and their pods
#                            to their kubelet; the apiserver reaches kubelets at their InternalIP with the admin
#                            client certificate (kubectl logs/exec). Default 0: the cluster is exactly as before.
# Other environment:
#   PROXYSQL_OPERATOR_CACHE  cache of build.sh (default ~/.cache/proxysql-operator)
#   KWOK_WORKDIR             where clusters live (default $PROXYSQL_OPERATOR_CACHE/kwok)
#   CLUSTER_RECREATE         1 = never reuse an existing cluster in `up`
#   CLUSTER_OWNER_PID        `up` starts a watchdog that runs `down` once this process has exited, so a killed
#                            test JVM does not leave a cluster running
#   CLUSTER_WAIT_SECONDS     deadline for `up` to get a usable cluster (default 90)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
self="$here/$(basename "$0")"
CACHE=${PROXYSQL_OPERATOR_CACHE:-$HOME/.cache/proxysql-operator}
export KWOK_WORKDIR=${KWOK_WORKDIR:-$CACHE/kwok}
# kubectl would otherwise write its discovery cache to ~/.kube/cache.
export KUBECACHEDIR=$KWOK_WORKDIR/kube-cache

POD_READY_DELAY_MS=${POD_READY_DELAY_MS:-200}
POD_DELETE_DELAY_MS=${POD_DELETE_DELAY_MS:-300}
NEVER_READY_IMAGE_REGEX=${NEVER_READY_IMAGE_REGEX:-never-ready}
CLUSTER_NODES=${CLUSTER_NODES:-3}
CLUSTER_AUDIT=${CLUSTER_AUDIT:-0}
CLUSTER_AUDIT_POLICY=${CLUSTER_AUDIT_POLICY:-}
CLUSTER_WAIT_SECONDS=${CLUSTER_WAIT_SECONDS:-90}
CLUSTER_REAL_NODE=${CLUSTER_REAL_NODE:-0}
# The ClusterIP of the "kubernetes" Service: the first address of the apiserver's default Service CIDR.
REAL_NODE_KUBERNETES_IP=10.0.0.1

# Components whose absence would silently break our tests; `up` checks that they really started.
REQUIRED_CONTROLLERS=(statefulset-controller garbage-collector-controller namespace-controller
  disruption-controller serviceaccount-controller serviceaccount-token-controller)

log() { printf '[cluster %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
usage() { sed -n '2,/^set -euo/p' "$self" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }

# The bin dir build.sh would produce, without building: stopping or inspecting a cluster must not start
# a long compile. Empty if the binaries are not there.
built_bin_dir() {
  local KUBE_VERSION ETCD_VERSION KWOK_VERSION dir
  # shellcheck source=versions.env
  source "$here/versions.env"
  dir="$CACHE/bin-k$KUBE_VERSION-e$ETCD_VERSION-w$KWOK_VERSION"
  if [ -x "$dir/kwokctl" ] && [ -x "$dir/kubectl" ]; then echo "$dir"; fi
}

cluster_dir() { echo "$KWOK_WORKDIR/clusters/$1"; }
state_dir() { echo "$KWOK_WORKDIR/cluster-sh/$1"; }
kubeconfig_path() { echo "$(cluster_dir "$1")/kubeconfig.yaml"; }

check_name() {
  [[ ${1:-} =~ ^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$ ]] \
    || die "cluster name '${1:-}' is missing or invalid (lower-case letters, digits and '-', at most 40 characters)"
}
check_uint() { [[ $2 =~ ^[0-9]+$ ]] || die "$1 must be a non-negative integer, got '$2'"; }

# Serialises up/down of one cluster (e.g. a watchdog's `down` against a new `up`).
lock() {
  mkdir -p "$(state_dir "$1")"
  exec 9>"$(state_dir "$1")/lock"
  flock -w 120 9 || die "timed out waiting for the lock of cluster $1 (another cluster.sh up/down is running)"
}

# The pids of the cluster's processes. kwokctl records them in pid files; we only trust a pid whose
# command line still points into this cluster's directory (pids get reused).
cluster_pids() {
  local dir f pid
  dir=$(cluster_dir "$1")
  for f in "$dir"/pids/*.pid; do
    [ -f "$f" ] || continue
    pid=$(<"$f")
    [[ $pid =~ ^[0-9]+$ ]] || continue
    if tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -qF -- "$dir/"; then echo "$pid"; fi
  done
}

kctl() { kubectl --kubeconfig "$(kubeconfig_path "$1")" --request-timeout=5s "${@:2}"; }

healthy() {
  local name=$1 n
  [ -f "$(kubeconfig_path "$name")" ] || return 1
  n=$(cluster_pids "$name" | wc -l)
  [ "$n" -ge 5 ] || return 1
  apiserver_ready "$name"
}

# Escapes a string for use inside a jq string literal that sits in a single-quoted YAML scalar.
jq_yaml_escape() {
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//\'/\'\'}
  printf '%s' "$s"
}

# Writes the --config document set for kwokctl: the binary overrides plus our Stages with the settings
# substituted. Placeholders are @NAME@ so that Go templates ({{ $x }}) in the stages stay untouched.
render_config() {
  local bin=$1 out=$2 name=$3 f text
  : >"$out"
  for f in "$here/kwokctl-config.yaml" "$here"/stages/*.yaml; do
    text=$(<"$f")
    if [ "$f" = "$here/kwokctl-config.yaml" ] && { [ "$CLUSTER_REAL_NODE" = 1 ] || [ "$CLUSTER_REAL_NODE" = true ]; }; then
      # Pods reach the apiserver as https://10.0.0.1:443, the ClusterIP of the "kubernetes" Service (the apiserver's
      # default --service-cluster-ip-range is 10.0.0.0/24, which kwokctl keeps): the serving certificate must name it.
      # kwokctl's own SANs are kubernetes.default.svc[.cluster.local], localhost, loopback and the host's addresses.
      text=${text/$'\n'options:$'\n'/$'\n'options:$'\n'  kubeApiserverCertSANs: [\"$REAL_NODE_KUBERNETES_IP\"]$'\n'}
      text+=$'\n'$(real_node_patches "$name")
    fi
    text=${text//@BIN@/"$bin"}
    text=${text//@POD_READY_DELAY_MS@/"$POD_READY_DELAY_MS"}
    text=${text//@POD_DELETE_DELAY_MS@/"$POD_DELETE_DELAY_MS"}
    text=${text//@NEVER_READY_IMAGE_REGEX_JQ@/"$(jq_yaml_escape "$NEVER_READY_IMAGE_REGEX")"}
    text=${text//@NEVER_READY_IMAGE_REGEX@/"${NEVER_READY_IMAGE_REGEX//$'\n'/ }"}
    printf -- '---\n# from %s\n%s\n' "${f#"$here"/}" "$text" >>"$out"
  done
}

# Component patches for a cluster that a real node (hack/node/node.sh) joins. Given in the configuration, not as
# --extra-args: kwokctl 0.7.0 indexes the --extra-args of a second component wrongly and panics.
real_node_patches() {
  local pki
  pki="$(cluster_dir "$1")/pki"
  cat <<EOF
componentsPatches:
# kwokctl's binary runtime starts kwok with --manage-all-nodes=true, which would also drive the real node and its
# pods. Later flags win: kwok then manages only the nodes 'kwokctl scale node' creates (annotated as fake).
- name: kwok-controller
  extraArgs:
  - key: manage-all-nodes
    value: "false"
  - key: manage-nodes-with-annotation-selector
    value: kwok.x-k8s.io/node=fake
# For logs, exec and port-forward the apiserver calls the kubelet: at its InternalIP (the node's Hostname does not
# resolve here), authenticated by the admin certificate, which the kubelet's client CA trusts.
- name: kube-apiserver
  extraArgs:
  - key: kubelet-preferred-address-types
    value: InternalIP
  - key: kubelet-client-certificate
    value: $pki/admin.crt
  - key: kubelet-client-key
    value: $pki/admin.key
EOF
}

# The identity the apiserver presents to admission webhooks, as a production installation sets it up (docs/admission.md,
# "Who may call the webhook"): a CA of its own (not the cluster's, which signs every user's certificate), a client
# certificate with CN proxysql-operator-webhook-client, and an AdmissionConfiguration whose kubeconfig gives the webhook
# admission plugins that certificate for every webhook ('*'; a webhook whose server asks for no client certificate, such
# as cert-manager's, is unaffected). Made once per cluster name and kept across re-creations; the operator's tests start
# the webhook with --webhook-client-ca pointing at ca.crt (`cluster.sh webhook-client NAME` prints the directory).
webhook_client_dir() { echo "$(state_dir "$1")/webhook-client"; }
make_webhook_client() {
  local dir tmp
  dir=$(webhook_client_dir "$1")
  if [ ! -s "$dir/client.crt" ] || [ ! -s "$dir/admission.yaml" ]; then
    tmp="$dir.tmp"
    rm -rf "$tmp"
    mkdir -p "$tmp"
    (
      cd "$tmp"
      umask 077
      openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 \
        -subj "/CN=proxysql-test-webhook-client-ca" -keyout ca.key -out ca.crt \
        -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
      openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
        -subj "/CN=proxysql-operator-webhook-client" -keyout client.key -out client.csr 2>/dev/null
      printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n' >client.ext
      openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 -extfile client.ext \
        -out client.crt 2>/dev/null
      rm -f client.csr client.ext ca.srl
    ) || die "could not make the webhook client certificate with openssl in $tmp"
    cat >"$tmp/kubeconfig.yaml" <<EOF
apiVersion: v1
kind: Config
users:
- name: '*'
  user:
    client-certificate: $dir/client.crt
    client-key: $dir/client.key
EOF
    cat >"$tmp/admission.yaml" <<EOF
apiVersion: apiserver.config.k8s.io/v1
kind: AdmissionConfiguration
plugins:
- name: ValidatingAdmissionWebhook
  configuration:
    apiVersion: apiserver.config.k8s.io/v1
    kind: WebhookAdmissionConfiguration
    kubeConfigFile: $dir/kubeconfig.yaml
- name: MutatingAdmissionWebhook
  configuration:
    apiVersion: apiserver.config.k8s.io/v1
    kind: WebhookAdmissionConfiguration
    kubeConfigFile: $dir/kubeconfig.yaml
EOF
    rm -rf "$dir"
    mv "$tmp" "$dir"
  fi
}

# Polls a command until it succeeds (status 0) or the deadline (epoch seconds) passes (status 1).
wait_until() {
  local deadline=$1
  shift
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 0.2
  done
}
wait_for() {
  local deadline=$1 what=$2
  shift 2
  wait_until "$deadline" "$@" || die "timed out waiting for $what"
}

apiserver_ready() { [ "$(kctl "$1" get --raw=/readyz 2>/dev/null)" = ok ]; }

nodes_ready() {
  local ready
  ready=$(kctl "$1" get nodes -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' | grep -c '^True$')
  [ "$ready" -ge "$CLUSTER_NODES" ]
}

controllers_started() {
  local log c
  log="$(cluster_dir "$1")/logs/kube-controller-manager.log"
  for c in "${REQUIRED_CONTROLLERS[@]}"; do
    grep -qF "\"Started controller\" controller=\"$c\"" "$log" || return 1
  done
}

# Guards the "nothing is downloaded" promise: kwokctl logs every download, and after creation every binary
# in its saved configuration must be a local path.
check_no_downloads() {
  local name=$1 kwokctl_log=$2 urls
  if grep -q '"msg":"Download"\|Download.*uri=' "$kwokctl_log"; then
    die "kwokctl tried to download something (see $kwokctl_log)"
  fi
  urls=$(grep -E '^ *([a-zA-Z]*(Binary|BinaryTar|BinaryPrefix)|binary): .*://' "$(cluster_dir "$name")/kwok.yaml" || true)
  [ -z "$urls" ] || die "cluster $name is configured with binary URLs, which would be downloaded:
$urls"
}

start_watchdog() {
  local name=$1 owner=$2 st
  st=$(state_dir "$name")
  kill -0 "$owner" 2>/dev/null || die "CLUSTER_OWNER_PID=$owner is not a running process"
  # Detached from our stdio so that whoever reads our output is not kept waiting by the watchdog.
  # It writes its own pid: with setsid, $! may be an intermediate process.
  setsid bash -c 'echo $$ >"$5"; while kill -0 "$1" 2>/dev/null && [ -d "$2" ]; do sleep 2; done; exec "$3" down "$4"' \
    watchdog "$owner" "$(cluster_dir "$name")" "$self" "$name" "$st/watchdog.pid" </dev/null >>"$st/watchdog.log" 2>&1 9>&- &
  log "watchdog will delete cluster $name when process $owner exits"
}

stop_watchdog() {
  local f pid
  f="$(state_dir "$1")/watchdog.pid"
  [ -f "$f" ] || return 0
  pid=$(<"$f")
  rm -f "$f"
  # The watchdog execs `down` itself; it must not kill itself.
  if [ "$pid" != "$$" ] && tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -q watchdog; then
    # Its own process group (setsid): this also ends the `sleep` it may be in.
    kill -- -"$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
  fi
}

# Stops every process of the cluster and deletes its files. kwokctl does the work; anything it leaves
# behind (e.g. a half-created cluster) is killed by pid.
delete_cluster() {
  local name=$1 pids pid i
  # A real node joined to this cluster (hack/node/node.sh) goes first: it would otherwise outlive its cluster.
  if [ "$(cat /run/proxysql-operator-node/cluster 2>/dev/null)" = "$name" ]; then
    "$here/../node/node.sh" down "$name" 8>&- 9>&- || log "removing the real node of cluster $name failed"
  fi
  pids=$(cluster_pids "$name")
  if [ -d "$(cluster_dir "$name")" ] && command -v kwokctl >/dev/null; then
    # kwokctl delete insists on removing a context from some kubeconfig; give it a throwaway one so it
    # leaves ~/.kube/config alone.
    kwokctl delete cluster --name "$name" --kubeconfig "$(state_dir "$name")/throwaway-kubeconfig" \
      >>"$(state_dir "$name")/kwokctl.log" 2>&1 9>&- \
      || log "kwokctl delete cluster $name failed (see $(state_dir "$name")/kwokctl.log); killing its processes directly"
  fi
  for pid in $pids; do kill "$pid" 2>/dev/null || true; done
  for i in $(seq 50); do
    pids=$(for pid in $pids; do kill -0 "$pid" 2>/dev/null && echo "$pid"; done || true)
    [ -n "$pids" ] || break
    sleep 0.1
  done
  for pid in $pids; do log "process $pid did not stop; killing it"; kill -9 "$pid" 2>/dev/null || true; done
  rm -rf "$(cluster_dir "$name")"
}

cmd_up() {
  local name=$1 start bin st rendered fingerprint audit_policy="" kwokctl_log deadline
  start=$(date +%s%N)
  check_uint POD_READY_DELAY_MS "$POD_READY_DELAY_MS"
  check_uint POD_DELETE_DELAY_MS "$POD_DELETE_DELAY_MS"
  check_uint CLUSTER_NODES "$CLUSTER_NODES"
  [ -n "$NEVER_READY_IMAGE_REGEX" ] || die "NEVER_READY_IMAGE_REGEX must not be empty (it would match every image)"
  if [ -n "$CLUSTER_AUDIT_POLICY" ] || [ "$CLUSTER_AUDIT" = 1 ] || [ "$CLUSTER_AUDIT" = true ]; then
    audit_policy=${CLUSTER_AUDIT_POLICY:-$here/audit-policy.yaml}
    [ -f "$audit_policy" ] || die "audit policy $audit_policy does not exist"
    audit_policy=$(cd "$(dirname "$audit_policy")" && pwd)/$(basename "$audit_policy")
  fi

  bin=$("$here/build.sh" | tail -n 1)
  [ -x "$bin/kwokctl" ] || die "build.sh did not produce a bin dir with kwokctl (got '$bin')"
  # kwokctl takes kubectl from PATH; it must be ours, not some other version.
  export PATH="$bin:$PATH"

  lock "$name"
  make_webhook_client "$name"
  st=$(state_dir "$name")
  rendered="$st/config.yaml"
  kwokctl_log="$st/kwokctl.log"
  local args=(
    --config "$rendered"
    create cluster --name "$name" --runtime binary
    --kubeconfig ""            # do not touch the user's ~/.kube/config
    --kube-apiserver-binary "$bin/kube-apiserver"
    --kube-controller-manager-binary "$bin/kube-controller-manager"
    --kube-scheduler-binary "$bin/kube-scheduler"
    --kwok-controller-binary "$bin/kwok"
    --etcd-binary "$bin/etcd"
    --wait "${CLUSTER_WAIT_SECONDS}s"
    # kube-apiserver derives its advertise address from the default route when bound to loopback, and
    # fails on hosts without one.
    --extra-args kube-apiserver=advertise-address=127.0.0.1
    # A loopback address is not a valid endpoint, so the apiserver would fail to publish itself as the
    # "kubernetes" Service every few seconds; nothing in a kwok cluster could reach it anyway.
    --extra-args kube-apiserver=endpoint-reconciler-type=none
    # On top of the default admission plugins, as on OpenShift and other hardened clusters: setting an owner
    # reference with blockOwnerDeletion needs permission to update the owner's finalizers. The operator's RBAC
    # (deploy/install) must work there, and RbacLeastPrivilegeIT proves it here.
    --extra-args kube-apiserver=enable-admission-plugins=OwnerReferencesPermissionEnforcement
    # Admission webhooks are called with a client certificate (make_webhook_client).
    --extra-args "kube-apiserver=admission-control-config-file=$(webhook_client_dir "$name")/admission.yaml"
    # The controller-manager's and scheduler's client-side rate limits (20 and 50 requests/s by default, shared by all
    # their controllers) made pods of big test batches (OpsStopPointsIT: 66 at once) wait for their turn; the API
    # server has no other clients to protect here. Also lifts the apiserver's in-flight limits.
    --disable-qps-limits
  )
  [ -z "$audit_policy" ] || args+=(--kube-audit-policy "$audit_policy")
  render_config "$bin" "$rendered.new" "$name"
  # Identifies everything a cluster was created from, to decide whether an existing one can be reused.
  fingerprint=$( { printf '%s\n' "${args[@]}" "nodes=$CLUSTER_NODES"; cat "$rendered.new";
                   [ -z "$audit_policy" ] || cat "$audit_policy"; } | sha256sum | cut -d' ' -f1)

  if [ -d "$(cluster_dir "$name")" ]; then
    local why
    if [ "${CLUSTER_RECREATE:-0}" = 1 ]; then why="CLUSTER_RECREATE=1"
    elif [ "$(cat "$st/fingerprint" 2>/dev/null)" != "$fingerprint" ]; then why="created with other settings, or not completely"
    elif ! healthy "$name"; then why="not healthy"
    else
      rm -f "$rendered.new"
      stop_watchdog "$name"
      [ -z "${CLUSTER_OWNER_PID:-}" ] || start_watchdog "$name" "$CLUSTER_OWNER_PID"
      log "reusing running cluster $name"
      kubeconfig_path "$name"
      return 0
    fi
    log "deleting existing cluster $name ($why)"
    stop_watchdog "$name"
    delete_cluster "$name"
  fi
  mv "$rendered.new" "$rendered"
  rm -f "$st/fingerprint"

  : >"$kwokctl_log"
  log "creating cluster $name in $(cluster_dir "$name") (ready delay ${POD_READY_DELAY_MS}ms, never-ready images /$NEVER_READY_IMAGE_REGEX/, audit ${audit_policy:-off})"
  # kwokctl picks free ports by looking at the other clusters' saved configurations, so two creations at
  # once (e.g. test runs in two worktrees) could pick the same ports: serialise them.
  exec 8>"$KWOK_WORKDIR/.create-lock"
  flock -w 300 8 || die "timed out waiting for another cluster creation in $KWOK_WORKDIR"
  # 8>&- 9>&-: the cluster's processes must not inherit (and so hold forever) our locks.
  if ! kwokctl "${args[@]}" >>"$kwokctl_log" 2>&1 8>&- 9>&-; then
    tail -n 20 "$kwokctl_log" >&2
    die "kwokctl create cluster $name failed; full output in $kwokctl_log, component logs in $(cluster_dir "$name")/logs"
  fi
  exec 8>&-
  check_no_downloads "$name" "$kwokctl_log"
  # kwokctl exits 0 even when its own wait fails, so check the apiserver ourselves.
  deadline=$(( $(date +%s) + CLUSTER_WAIT_SECONDS ))
  if ! wait_until "$deadline" apiserver_ready "$name"; then
    tail -n 5 "$(cluster_dir "$name")/logs/kube-apiserver.log" >&2 || true
    die "kube-apiserver of cluster $name did not become ready; logs in $(cluster_dir "$name")/logs"
  fi
  [ -z "${CLUSTER_OWNER_PID:-}" ] || start_watchdog "$name" "$CLUSTER_OWNER_PID"

  if [ "$CLUSTER_NODES" -gt 0 ]; then
    kwokctl scale node --name "$name" --replicas "$CLUSTER_NODES" >>"$kwokctl_log" 2>&1 9>&- \
      || die "kwokctl scale node failed; see $kwokctl_log"
    wait_for "$deadline" "$CLUSTER_NODES Ready nodes" nodes_ready "$name"
  fi
  wait_for "$deadline" "the default ServiceAccount" kctl "$name" get serviceaccount default --namespace default
  wait_for "$deadline" "kube-controller-manager to start ${REQUIRED_CONTROLLERS[*]}" controllers_started "$name"
  grep -q 'validating admission controller(s).*PodSecurity' "$(cluster_dir "$name")/logs/kube-apiserver.log" \
    || die "kube-apiserver runs without the PodSecurity admission plugin; see $(cluster_dir "$name")/logs/kube-apiserver.log"

  echo "$fingerprint" >"$st/fingerprint"
  log "cluster $name is up in $(( ($(date +%s%N) - start) / 1000000 ))ms; kubeconfig: $(kubeconfig_path "$name")"
  kubeconfig_path "$name"
}

cmd_down() {
  local name=$1
  if [ ! -d "$(cluster_dir "$name")" ] && [ ! -f "$(state_dir "$name")/watchdog.pid" ]; then
    log "cluster $name does not exist"
    return 0
  fi
  local bin
  bin=$(built_bin_dir)
  [ -z "$bin" ] || export PATH="$bin:$PATH"
  lock "$name"
  stop_watchdog "$name"
  delete_cluster "$name"
  # Everything but the lock file, which others may be waiting on.
  find "$(state_dir "$name")" -mindepth 1 ! -name lock -delete
  log "cluster $name deleted"
}

cmd_logs() {
  local name=$1 comp=${2:-} dir f
  dir="$(cluster_dir "$name")/logs"
  [ -d "$dir" ] || die "cluster $name has no logs (does it exist? see: $self list)"
  case "$comp" in
    "") for f in "$dir"/*.log "$(state_dir "$name")/kwokctl.log"; do
          [ -f "$f" ] || continue
          printf '==> %s <==\n' "$f"; tail -n 20 "$f"; echo
        done ;;
    kwokctl) cat "$(state_dir "$name")/kwokctl.log" ;;
    *) [ -f "$dir/$comp.log" ] || die "no log for '$comp'; available: $(cd "$dir" && ls | sed 's/\.log$//' | tr '\n' ' ')kwokctl"
       cat "$dir/$comp.log" ;;
  esac
}

main() {
  local cmd=${1:-}
  [ -n "$cmd" ] || usage
  shift
  case "$cmd" in
    up|down|kubeconfig|status|logs|logdir|audit-log|webhook-client) check_name "${1:-}" ;;
  esac
  case "$cmd" in
    up) cmd_up "$1" ;;
    down) cmd_down "$1" ;;
    kubeconfig)
      [ -f "$(kubeconfig_path "$1")" ] || die "cluster $1 does not exist (start it with: $self up $1)"
      kubeconfig_path "$1" ;;
    status)
      if [ ! -d "$(cluster_dir "$1")" ]; then echo "$1: absent"; return 1; fi
      local bin
      bin=$(built_bin_dir)
      [ -n "$bin" ] || { echo "$1: present, but the binaries to talk to it are not built"; return 1; }
      export PATH="$bin:$PATH"
      if healthy "$1"; then echo "$1: healthy"; else echo "$1: present but not healthy"; return 1; fi ;;
    logs) cmd_logs "$1" "${2:-}" ;;
    logdir) echo "$(cluster_dir "$1")/logs" ;;
    webhook-client) echo "$(webhook_client_dir "$1")" ;;
    audit-log)
      [ -f "$(cluster_dir "$1")/logs/audit.log" ] || die "cluster $1 does not exist or runs without audit (CLUSTER_AUDIT=1)"
      echo "$(cluster_dir "$1")/logs/audit.log" ;;
    list) ls -1 "$KWOK_WORKDIR/clusters" 2>/dev/null || true ;;
    -h|--help|help) usage ;;
    *) log "unknown command '$cmd'"; usage ;;
  esac
}

main "$@"
