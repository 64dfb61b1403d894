#!/usr/bin/env bash
# A real node for a local cluster of hack/control-plane/cluster.sh: containerd + runc, kubelet, kube-proxy
# (iptables) and CoreDNS, all running inside a network namespace of their own, so that pods run real processes
# with real networking while nothing of the pod or Service networks reaches beyond this machine.
# See hack/node/README.md for the design and the network-safety argument.
#
# Usage: node.sh <command> NAME
#   up NAME       join a real node to cluster NAME, which must be running and have been created with
#                 CLUSTER_REAL_NODE=1 (hack/control-plane/cluster.sh); waits until the node is Ready, kube-proxy
#                 has programmed its rules and CoreDNS answers. One real node per machine.
#   down NAME     stop everything `up` started and remove everything it created: processes, mounts, network
#                 namespaces, interfaces, routes, iptables rules, cgroups, state; restores the kernel settings
#                 the kubelet changed; deletes the Node object if the cluster is still there
#   status NAME   show the node's Ready condition and the components' pids (exit 0 only if all is well)
#   logs NAME [C] print the log of one component (containerd, kubelet, kube-proxy, coredns, relay), or the
#                 tail of all of them
#
# Environment:
#   PROXYSQL_OPERATOR_CACHE  cache of the build scripts (default ~/.cache/proxysql-operator)
#   NODE_NAME                name of the Node object (default real-node)
#   NODE_POD_CIDR            the node's pod network (default 10.244.0.0/24)
#   NODE_WAIT_SECONDS        deadline for each wait in `up` (default 120)
#   NODE_ALLOW_HOST_PORTS    TCP ports of the host (at 10.250.0.1) that pods may connect to, space-separated (default
#                            none: pods and the node's processes cannot open connections to the host at all)
#   NODE_KEEP_ON_FAILURE     1 = a failed `up` leaves everything in place for debugging (default: it cleans up)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
self="$here/$(basename "$0")"
CACHE=${PROXYSQL_OPERATOR_CACHE:-$HOME/.cache/proxysql-operator}
KWOK_WORKDIR=${KWOK_WORKDIR:-$CACHE/kwok}
export KUBECACHEDIR=$KWOK_WORKDIR/kube-cache
NODE_NAME=${NODE_NAME:-real-node}
NODE_POD_CIDR=${NODE_POD_CIDR:-10.244.0.0/24}
NODE_WAIT_SECONDS=${NODE_WAIT_SECONDS:-120}
NODE_ALLOW_HOST_PORTS=${NODE_ALLOW_HOST_PORTS:-}

# The node's network: a veth pair between the host and the namespace, with a private /30.
NETNS=pxo-node
HOST_IF=pxo-host
HOST_IP=10.250.0.1
NODE_IP=10.250.0.2
# Runtime state (sockets, pids, configs, containerd state) and data (containerd's images and snapshots, the
# kubelet's root dir). Both are deleted by `down`; the logs are kept for a post-mortem.
RUN=/run/proxysql-operator-node
DATA=$CACHE/node-data
LOGS=$CACHE/node-logs
# Every pod's cgroups live below this cgroup (kubelet cgroupRoot) in each hierarchy; `down` removes it.
CGROUP_ROOT=pxo-node
# Fixed host paths that containerd, its shims and the CNI plugins write to whatever their config says. Inside
# the node's private mount namespace each gets an empty tmpfs, so nothing lands on the host and everything
# there disappears with the namespace.
PRIVATE_DIRS=(/run/netns /run/containerd /var/lib/cni /var/log/containers)
# Kernel settings the kubelet sets at start (pkg/kubelet/cm setupKernelTunables); `down` restores them.
KUBELET_SYSCTLS=(vm.overcommit_memory vm.panic_on_oom kernel.panic kernel.panic_on_oops kernel.keys.root_maxkeys
  kernel.keys.root_maxbytes)
COMPONENTS=(relay-host holder relay-node relay-pods containerd kubelet kube-proxy coredns)

log() { printf '[node %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
usage() { sed -n '2,/^set -euo/p' "$self" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }

check_name() {
  [[ ${1:-} =~ ^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$ ]] \
    || die "cluster name '${1:-}' is missing or invalid (lower-case letters, digits and '-', at most 40 characters)"
}

cluster_dir() { echo "$KWOK_WORKDIR/clusters/$1"; }
kubeconfig_path() { echo "$(cluster_dir "$1")/kubeconfig.yaml"; }

# kubectl of the control plane, without building it.
control_plane_bin() {
  local KUBE_VERSION ETCD_VERSION KWOK_VERSION
  # shellcheck source=../control-plane/versions.env
  source "$here/../control-plane/versions.env"
  echo "$CACHE/bin-k$KUBE_VERSION-e$ETCD_VERSION-w$KWOK_VERSION"
}
kctl() { "$(control_plane_bin)/kubectl" --kubeconfig "$(kubeconfig_path "$1")" --request-timeout=5s "${@:2}"; }

lock() {
  exec 9>"$CACHE/node.lock"
  flock -w 120 9 || die "timed out waiting for another node.sh up/down"
}

# Polls a command until it succeeds or the deadline (epoch seconds) passes.
wait_until() {
  local deadline=$1
  shift
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 0.3
  done
}

# --- processes ------------------------------------------------------------------------------------------------

pid_of() {
  local f="$RUN/pids/$1.pid" pid
  [ -f "$f" ] || return 1
  pid=$(<"$f")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  # Trust a pid only while its command line is still the one we started (pids get reused).
  [ "$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline")" = "$(cat "$RUN/pids/$1.cmd" 2>/dev/null)" ] || return 1
  echo "$pid"
}

# Starts a component detached from our session, records its pid and command line. The pid is the component's
# own: setsid and nsenter exec it without forking.
start() {
  local name=$1 pid
  shift
  mkdir -p "$RUN/pids"
  setsid "$@" </dev/null >"$LOGS/$name.log" 2>&1 8>&- 9>&- &
  pid=$!
  # Give exec a moment to replace setsid/nsenter before we note the command line.
  for _ in $(seq 50); do
    case "$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline")" in
      setsid*|nsenter*|"") sleep 0.02 ;;
      *) break ;;
    esac
  done
  kill -0 "$pid" 2>/dev/null || { tail -n 20 "$LOGS/$name.log" >&2; die "$name exited at once; log: $LOGS/$name.log"; }
  echo "$pid" >"$RUN/pids/$name.pid"
  tr '\0' ' ' <"/proc/$pid/cmdline" >"$RUN/pids/$name.cmd"
}

in_netns() { nsenter --net="/run/netns/$NETNS" -- "$@"; }

# A process that has exited but is not reaped yet (a zombie: our daemons' parent is PID 1) counts as stopped.
alive() { [ -r "/proc/$1/stat" ] && [ "$(sed 's/.*) \(.\).*/\1/' "/proc/$1/stat" 2>/dev/null)" != Z ]; }

stop_pids() {
  local what=$1 pids=$2 pid t
  [ -n "$pids" ] || return 0
  t=$(date +%s%N)
  for pid in $pids; do kill "$pid" 2>/dev/null || true; done
  for _ in $(seq 100); do
    pids=$(for pid in $pids; do alive "$pid" && echo "$pid"; done || true)
    if [ -z "$pids" ]; then log "stopped $what in $(( ($(date +%s%N) - t) / 1000000 ))ms"; return 0; fi
    sleep 0.1
  done
  for pid in $pids; do log "$what (pid $pid) did not stop in 10 s; killing it"; kill -9 "$pid" 2>/dev/null || true; done
}

# Stops components (SIGTERM, then SIGKILL after 10 s), all at once.
stop_components() {
  local c pids=""
  for c in "$@"; do
    pids+=" $(pid_of "$c" || true)"
  done
  # shellcheck disable=SC2086,SC2116  # word splitting trims the list
  stop_pids "$*" "$(echo $pids)"
  for c in "$@"; do rm -f "$RUN/pids/$c.pid" "$RUN/pids/$c.cmd"; done
}

# Pids of every process in the pods' cgroups, in any hierarchy.
pod_pids() {
  local h
  for h in /sys/fs/cgroup/*/; do
    [ -d "$h$CGROUP_ROOT" ] || continue
    find "$h$CGROUP_ROOT" -name cgroup.procs -exec cat {} + 2>/dev/null
  done | sort -u
}

# containerd's shims daemonise themselves; they are ours when they talk to our containerd's socket.
shim_pids() {
  local p
  for p in /proc/[0-9]*; do
    case "$(tr '\0' ' ' 2>/dev/null <"$p/cmdline")" in
      *containerd-shim*"-address $RUN/containerd/containerd.sock"*) echo "${p#/proc/}" ;;
    esac
  done
}

# --- up -------------------------------------------------------------------------------------------------------

write_configs() {
  local name=$1 cdir
  cdir=$(cluster_dir "$name")
  mkdir -p "$RUN/config" "$RUN/cni" "$RUN/cni-ipam" "$DATA/containerd" "$DATA/kubelet" "$LOGS/pods"

  cat >"$RUN/config/containerd.toml" <<EOF
version = 2
root = "$DATA/containerd"
state = "$RUN/containerd"
disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs",
  "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs", "io.containerd.tracing.processor.v1.otlp"]
[grpc]
  address = "$RUN/containerd/containerd.sock"
[ttrpc]
  address = "$RUN/containerd/containerd.sock.ttrpc"
[plugins]
  [plugins."io.containerd.internal.v1.opt"]
    path = "$DATA/containerd-opt"
  [plugins."io.containerd.grpc.v1.cri"]
    # Built and imported locally; nothing can be pulled (the node's namespace has no route to anywhere).
    sandbox_image = "localhost/pause:$PAUSE_TAG"
    # Root here lacks CAP_SYS_RESOURCE: runc cannot lower oom_score_adj, and every sandbox fails without this.
    restrict_oom_score_adj = true
    disable_tcp_service = true
    # exec/attach/port-forward streams: the kubelet proxies them, from the same namespace.
    stream_server_address = "127.0.0.1"
    stream_server_port = "0"
    enable_selinux = false
    disable_apparmor = true
    [plugins."io.containerd.grpc.v1.cri".containerd]
      snapshotter = "overlayfs"
      default_runtime_name = "runc"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
        runtime_type = "io.containerd.runc.v2"
        [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
          BinaryName = "/usr/sbin/runc"
          Root = "$RUN/runc"
          SystemdCgroup = false
    [plugins."io.containerd.grpc.v1.cri".cni]
      bin_dir = "/usr/lib/cni"
      conf_dir = "$RUN/cni"
      max_conf_num = 1
EOF

  # The pods' network: a bridge inside the node's namespace; the gateway is the namespace itself, which has no
  # route beyond the host's veth. No masquerading.
  cat >"$RUN/cni/10-pxo-pods.conflist" <<EOF
{
  "cniVersion": "0.4.0",
  "name": "pxo-pods",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "pxo-br0",
      "isGateway": true,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "ranges": [[{"subnet": "$NODE_POD_CIDR"}]],
        "routes": [{"dst": "0.0.0.0/0"}],
        "dataDir": "$RUN/cni-ipam"
      }
    }
  ]
}
EOF

  cat >"$RUN/config/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
containerRuntimeEndpoint: unix://$RUN/containerd/containerd.sock
# cgroup v1 (hybrid layout), no systemd.
cgroupDriver: cgroupfs
cgroupRoot: /$CGROUP_ROOT
failCgroupV1: false
failSwapOn: false
# cAdvisor finds no filesystem stats for the root device here.
localStorageCapacityIsolation: false
# Our images cannot be pulled again: never garbage-collect them.
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard:
  memory.available: "100Mi"
address: $NODE_IP
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
# The apiserver authenticates with the cluster's admin certificate (CLUSTER_REAL_NODE=1); nobody else is let in.
authentication:
  anonymous:
    enabled: false
  webhook:
    enabled: true
  x509:
    clientCAFile: $cdir/pki/ca.crt
authorization:
  mode: Webhook
clusterDomain: cluster.local
# CoreDNS runs on the node's address; pods reach it through their gateway.
clusterDNS:
- $NODE_IP
# No host resolvers for pods: with dnsPolicy Default a pod gets an empty resolv.conf.
resolvConf: ""
podLogsDir: $LOGS/pods
maxPods: 110
serializeImagePulls: false
EOF

  cat >"$RUN/config/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection:
  kubeconfig: $cdir/kubeconfig.yaml
hostnameOverride: $NODE_NAME
mode: iptables
clusterCIDR: $NODE_POD_CIDR
bindAddress: $NODE_IP
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
nodePortAddresses: ["$NODE_IP/32"]
# Leave the host-wide conntrack table size alone (the other conntrack settings are per network namespace).
conntrack:
  maxPerCore: 0
  min: 0
EOF

  # No "forward" plugin (and the binary has none compiled in): names outside the cluster zones are refused.
  cat >"$RUN/config/Corefile" <<EOF
cluster.local in-addr.arpa ip6.arpa {
    bind $NODE_IP
    errors
    health 127.0.0.1:8080
    ready 127.0.0.1:8181
    kubernetes cluster.local in-addr.arpa ip6.arpa {
        kubeconfig $cdir/kubeconfig.yaml
        pods insecure
        ttl 5
    }
    cache 5
    loadbalance
}
EOF
}

setup_network() {
  local svc_cidr=$1
  [ "$(sysctl -n net.ipv4.ip_forward)" = 0 ] \
    || log "note: net.ipv4.ip_forward of the host is already 1 (not set by us); the node does not need it"
  # `ip netns add` creates /run/netns (bind-mounted on itself) if missing; `down` removes it again if empty.
  [ -d /run/netns ] || echo /run/netns >>"$RUN/created-dirs"
  ip netns add "$NETNS"
  ip link add "$HOST_IF" type veth peer name eth0 netns "$NETNS"
  ip addr add "$HOST_IP/30" dev "$HOST_IF"
  ip link set "$HOST_IF" up
  in_netns ip link set lo up
  in_netns ip addr add "$NODE_IP/30" dev eth0
  in_netns ip link set eth0 up
  # Forwarding between the pods' bridge and the veth, inside the namespace only (the setting is per namespace).
  in_netns sysctl -qw net.ipv4.ip_forward=1
  # Bridged pod-to-pod traffic must pass iptables for Service DNAT (per namespace since kernel 5.3).
  in_netns sysctl -qw net.bridge.bridge-nf-call-iptables=1
  # Nothing inside may open a connection through the veth: the host is the only thing behind it, and nothing
  # of the node needs it (the apiserver is reached through the relay's unix socket). Connections the host opens
  # (to pods, Services, the kubelet, CoreDNS) and their replies pass. kube-proxy later inserts its own jumps
  # before these; they accept only replies and Service traffic the host started (masquerade mark).
  local port
  in_netns iptables -w -N PXO-NODE-ISOLATION
  in_netns iptables -w -A PXO-NODE-ISOLATION -m conntrack --ctstate ESTABLISHED,RELATED -j RETURN
  for port in $NODE_ALLOW_HOST_PORTS; do
    [[ $port =~ ^[0-9]+$ ]] || die "NODE_ALLOW_HOST_PORTS must list port numbers, got '$port'"
    in_netns iptables -w -A PXO-NODE-ISOLATION -d "$HOST_IP" -p tcp --dport "$port" -j RETURN
  done
  in_netns iptables -w -A PXO-NODE-ISOLATION -j REJECT --reject-with icmp-admin-prohibited
  in_netns iptables -w -I FORWARD 1 -o eth0 -j PXO-NODE-ISOLATION
  in_netns iptables -w -I OUTPUT 1 -o eth0 -j PXO-NODE-ISOLATION
  # Host processes (tests, the apiserver calling webhooks or kubelets) reach pods and Services via the veth.
  ip route add "$NODE_POD_CIDR" via "$NODE_IP" dev "$HOST_IF"
  ip route add "$svc_cidr" via "$NODE_IP" dev "$HOST_IF"
  echo "$svc_cidr" >"$RUN/service-cidr"
}

# The holder process owns the node's private mount namespace (joined to the node's network namespace). Every
# component enters both; mounts made in there (overlay rootfs, tmpfs volumes, netns bind mounts) never appear
# on the host and are released by the kernel when the last process of the namespace exits.
start_holder() {
  local d
  for d in "${PRIVATE_DIRS[@]}"; do
    if [ ! -d "$d" ]; then mkdir -p "$d" && echo "$d" >>"$RUN/created-dirs"; fi
  done
  local script='set -e; for d in "$@"; do mount -t tmpfs -o mode=755,size=64m pxo-node "$d"; done; echo ready; exec sleep infinity'
  start holder nsenter --net="/run/netns/$NETNS" -- unshare --mount --propagation slave -- sh -c "$script" holder "${PRIVATE_DIRS[@]}"
  local deadline=$(( $(date +%s) + 10 ))
  wait_until "$deadline" grep -q ready "$LOGS/holder.log" || die "the namespace holder did not start; log: $LOGS/holder.log"
  # Its pid stayed the same through exec, but its command line changed to sleep's.
  tr '\0' ' ' <"/proc/$(<"$RUN/pids/holder.pid")/cmdline" >"$RUN/pids/holder.cmd"
  # mkdir the cgroup root in every hierarchy: the kubelet insists it exists.
  for d in /sys/fs/cgroup/*/; do
    [ -f "$d/cgroup.procs" ] && mkdir -p "$d$CGROUP_ROOT"
  done
}

# The apiserver listens on 127.0.0.1 of the host, which the node's namespace cannot reach. Two socat relays
# join the host's loopback to the namespace's loopback through a unix socket, so the cluster's kubeconfig
# (https://127.0.0.1:PORT, a certificate valid for 127.0.0.1) works unchanged inside the node.
start_relays() {
  local name=$1 port
  port=$(sed -n 's#.*server: https://127.0.0.1:\([0-9]*\).*#\1#p' "$(kubeconfig_path "$name")" | head -1)
  [ -n "$port" ] || die "cannot read the apiserver port from $(kubeconfig_path "$name")"
  start relay-host socat "UNIX-LISTEN:$RUN/apiserver.sock,fork,mode=600" "TCP:127.0.0.1:$port"
  start relay-node nsenter --net="/run/netns/$NETNS" -- socat "TCP-LISTEN:$port,bind=127.0.0.1,fork,reuseaddr" "UNIX-CONNECT:$RUN/apiserver.sock"
  # For pods (an operator running as a Deployment): the same relay on the node's own address, published as the
  # endpoint of the "kubernetes" Service (publish_apiserver_endpoint). A pod's connection to it ends inside the
  # node's namespace, so PXO-NODE-ISOLATION (new connections out of eth0) stays as it is.
  start relay-pods nsenter --net="/run/netns/$NETNS" -- socat "TCP-LISTEN:$port,bind=$NODE_IP,fork,reuseaddr" "UNIX-CONNECT:$RUN/apiserver.sock"
  echo "$port" >"$RUN/apiserver.port"
  local deadline=$(( $(date +%s) + 10 ))
  wait_until "$deadline" in_netns "$(control_plane_bin)/kubectl" --kubeconfig "$(kubeconfig_path "$name")" \
      --request-timeout=3s get --raw=/readyz \
    || die "the apiserver is not reachable from the node's namespace; logs: $LOGS/relay-host.log $LOGS/relay-node.log"
}

ctr_() { ctr --address "$RUN/containerd/containerd.sock" -n k8s.io "$@"; }

start_containerd() {
  local bin=$1 deadline
  start containerd nsenter --target "$(pid_of holder)" --mount --net -- containerd --config "$RUN/config/containerd.toml"
  deadline=$(( $(date +%s) + 30 ))
  wait_until "$deadline" ctr_ version || die "containerd did not answer; log: $LOGS/containerd.log"
  log "importing localhost/pause:$PAUSE_TAG and localhost/busybox:local"
  ctr_ images import "$bin/pause.oci.tar" >>"$LOGS/containerd.log" 2>&1 || die "importing the pause image failed; see $LOGS/containerd.log"
  ctr_ images import "$bin/busybox.oci.tar" >>"$LOGS/containerd.log" 2>&1 || die "importing the busybox image failed; see $LOGS/containerd.log"
  # grep without -q: under pipefail, grep -q quitting at the first match can kill ctr with SIGPIPE and fail the pipe.
  ctr_ images ls -q | grep -x "localhost/pause:$PAUSE_TAG" >/dev/null || die "localhost/pause:$PAUSE_TAG is not in containerd after the import"
}

# kwokctl clusters run the apiserver with --endpoint-reconciler-type=none (its 127.0.0.1 is no valid endpoint), so
# the "kubernetes" Service has no endpoints: pods' in-cluster clients (KUBERNETES_SERVICE_HOST=10.0.0.1) would get
# "connection refused". We publish the pods' relay on the node's address as its endpoint, as the apiserver would
# publish itself: an EndpointSlice for kube-proxy, and the Endpoints (marked not to be mirrored again) for clients
# that read those. Nothing else writes them while the reconciler is off; `down` deletes them with the Node.
publish_apiserver_endpoint() {
  local name=$1 port
  port=$(<"$RUN/apiserver.port")
  kctl "$name" apply --server-side --field-manager=proxysql-operator-node -f - >/dev/null <<EOF
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: kubernetes
  namespace: default
  labels:
    kubernetes.io/service-name: kubernetes
    endpointslice.kubernetes.io/managed-by: node.proxysql.dev
addressType: IPv4
endpoints:
- addresses: ["$NODE_IP"]
  conditions: {ready: true}
ports:
- {name: https, port: $port, protocol: TCP}
---
apiVersion: v1
kind: Endpoints
metadata:
  name: kubernetes
  namespace: default
  labels:
    endpointslice.kubernetes.io/skip-mirror: "true"
subsets:
- addresses: [{ip: "$NODE_IP"}]
  ports: [{name: https, port: $port, protocol: TCP}]
EOF
}
unpublish_apiserver_endpoint() {
  kctl "$1" delete endpointslice kubernetes -n default --ignore-not-found >/dev/null 2>&1 || true
  kctl "$1" delete endpoints kubernetes -n default --ignore-not-found >/dev/null 2>&1 || true
}

# What a pod's client does after kube-proxy's DNAT: https://<kubernetes ClusterIP>:443 verified against the cluster's
# CA (the serving certificate names the ClusterIP when the cluster was created with CLUSTER_REAL_NODE=1), connected
# to the published endpoint. The node's namespace itself has no route to the Service CIDR (pods reach it through
# their gateway, where PREROUTING translates it), hence --connect-to instead of the ClusterIP.
pods_reach_apiserver() {
  local pki
  pki="$(cluster_dir "$1")/pki"
  [ "$(in_netns curl -sf -m 3 --cacert "$pki/ca.crt" --cert "$pki/admin.crt" --key "$pki/admin.key" \
    --connect-to "$2:443:$NODE_IP:$(<"$RUN/apiserver.port")" "https://$2:443/readyz")" = ok ]
}

node_ready() {
  [ "$(kctl "$1" get node "$NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')" = True ]
}

# The kubernetes Service has no endpoints here (the apiserver publishes none), so kube-proxy puts a REJECT rule
# for it into the filter table: proof that it has read the Services and programmed iptables.
kube_proxy_synced() { in_netns iptables-save | grep -- 'default/kubernetes:https' >/dev/null; }
coredns_ready() { in_netns curl -sf -m 2 -o /dev/null http://127.0.0.1:8181/ready; }
dns_answers() { "$bin_busybox" nslookup kubernetes.default.svc.cluster.local "$NODE_IP" | grep "Address.*$1" >/dev/null; }

cmd_up() {
  local name=$1 start_ns bin svc_cidr kubeip deadline
  start_ns=$(date +%s%N)
  [ "$(id -u)" -eq 0 ] || die "node.sh needs root (network namespaces, mounts, cgroups)"
  [ -f "$(kubeconfig_path "$name")" ] || die "cluster $name does not exist; create it with: CLUSTER_REAL_NODE=1 hack/control-plane/cluster.sh up $name"
  grep -q -- '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake' "$(cluster_dir "$name")/kwok.yaml" \
    || die "cluster $name was created without CLUSTER_REAL_NODE=1: its kwok would take over the real node. Recreate it with: CLUSTER_REAL_NODE=1 hack/control-plane/cluster.sh up $name"
  [ "$(kctl "$name" get --raw=/readyz 2>/dev/null)" = ok ] || die "the apiserver of cluster $name is not ready (hack/control-plane/cluster.sh status $name)"
  lock
  if [ -f "$RUN/cluster" ]; then
    local other
    other=$(<"$RUN/cluster")
    if [ "$other" = "$name" ] && healthy "$name" >/dev/null 2>&1; then
      log "the real node of cluster $name is already up"
      return 0
    fi
    if [ "$other" != "$name" ] && [ "$(kctl "$other" get --raw=/readyz 2>/dev/null)" = ok ]; then
      die "the real node of this machine belongs to the running cluster $other (one per machine); free it with: $self down $other"
    fi
    log "removing a previous real node (of cluster $other: $([ "$other" = "$name" ] && echo "not healthy" || echo "gone"))"
    teardown "$other"
  elif [ -e "/run/netns/$NETNS" ] || ip link show "$HOST_IF" >/dev/null 2>&1; then
    log "removing leftovers of a previous real node"
    teardown "$name"
  fi

  bin=$("$here/build.sh" | tail -n 1)
  [ -x "$bin/kubelet" ] || die "build.sh did not produce a node bin dir (got '$bin')"
  # shellcheck source=versions.env
  source "$here/versions.env"
  bin_busybox=/bin/busybox
  svc_cidr=$(kctl "$name" get servicecidr kubernetes -o jsonpath='{.spec.cidrs[0]}' 2>/dev/null || true)
  [ -n "$svc_cidr" ] || svc_cidr=10.0.0.0/24
  kubeip=$(kctl "$name" get service kubernetes -n default -o jsonpath='{.spec.clusterIP}')

  mkdir -p "$RUN" "$LOGS"
  rm -f "$LOGS"/*.log
  echo "$name" >"$RUN/cluster"
  : >"$RUN/created-dirs"
  # On failure (die or any failing command), remove what was created, unless asked to keep it for debugging.
  trap 'on_up_failure "$name"' EXIT
  log "network: namespace $NETNS, $HOST_IF $HOST_IP <-> $NODE_IP, pods $NODE_POD_CIDR, services $svc_cidr"
  setup_network "$svc_cidr"
  write_configs "$name"
  start_holder
  start_relays "$name"
  log "starting containerd"
  start_containerd "$bin"

  local s
  : >"$RUN/sysctl.saved"
  for s in "${KUBELET_SYSCTLS[@]}"; do echo "$s=$(sysctl -n "$s")" >>"$RUN/sysctl.saved"; done
  log "starting kubelet as node $NODE_NAME"
  start kubelet nsenter --target "$(pid_of holder)" --mount --net -- "$bin/kubelet" \
    --config="$RUN/config/kubelet.yaml" --kubeconfig="$(kubeconfig_path "$name")" \
    --hostname-override="$NODE_NAME" --node-ip="$NODE_IP" --root-dir="$DATA/kubelet" \
    --node-labels=node.proxysql.dev/real=true --v=2
  deadline=$(( $(date +%s) + NODE_WAIT_SECONDS ))
  wait_until "$deadline" node_ready "$name" || {
    tail -n 15 "$LOGS/kubelet.log" >&2
    die "node $NODE_NAME did not become Ready; logs: $LOGS/kubelet.log $LOGS/containerd.log"
  }
  log "node $NODE_NAME is Ready; starting kube-proxy"
  start kube-proxy nsenter --target "$(pid_of holder)" --mount --net -- "$bin/kube-proxy" \
    --config="$RUN/config/kube-proxy.yaml" --v=2
  wait_until "$deadline" kube_proxy_synced || die "kube-proxy did not program the kubernetes Service; log: $LOGS/kube-proxy.log"
  publish_apiserver_endpoint "$name"
  wait_until "$deadline" pods_reach_apiserver "$name" "$kubeip" \
    || die "https://$kubeip:443 (the kubernetes Service) does not reach the apiserver with a valid certificate from the node; was cluster $name created with CLUSTER_REAL_NODE=1 (its certificate must name $kubeip)? Logs: $LOGS/relay-pods.log $LOGS/kube-proxy.log"
  log "starting CoreDNS"
  start coredns nsenter --target "$(pid_of holder)" --mount --net -- "$bin/coredns" -conf "$RUN/config/Corefile"
  wait_until "$deadline" coredns_ready || die "CoreDNS did not become ready; log: $LOGS/coredns.log"
  wait_until "$deadline" dns_answers "$kubeip" \
    || die "CoreDNS does not resolve kubernetes.default.svc.cluster.local to $kubeip; log: $LOGS/coredns.log"
  trap - EXIT
  [ "$(sysctl -n net.ipv4.ip_forward)" = 0 ] || log "WARNING: the host's net.ipv4.ip_forward is 1 (it was not set by node.sh)"
  log "real node $NODE_NAME of cluster $name is up in $(( ($(date +%s%N) - start_ns) / 1000000 ))ms (logs in $LOGS)"
}

on_up_failure() {
  local name=$1
  trap - EXIT
  if [ "${NODE_KEEP_ON_FAILURE:-0}" = 1 ]; then
    log "up failed; NODE_KEEP_ON_FAILURE=1: leaving everything in place. Logs: $LOGS; clean up with: $self down $name"
  else
    log "up failed; removing what it created (NODE_KEEP_ON_FAILURE=1 keeps it). Logs are kept in $LOGS"
    teardown "$name" || true
  fi
}

# --- down -----------------------------------------------------------------------------------------------------

teardown() {
  local name=$1 pids c d h
  # 1. The kubelet first, so that it restarts nothing; then the other node processes.
  stop_components kubelet kube-proxy coredns
  # 2. The pods' processes (cgroups below our cgroup root), then the shims and containerd.
  pids=$(pod_pids)
  if [ -n "$pids" ]; then
    # shellcheck disable=SC2086
    kill -9 $pids 2>/dev/null || true
  fi
  stop_components containerd
  stop_pids "containerd shim" "$(shim_pids)"
  # 3. The relays and the namespace holder: with it, the node's mount namespace and all its mounts go.
  stop_components relay-pods relay-node relay-host holder
  # Anything else still in the node's network namespace (e.g. a stray exec).
  if [ -e "/run/netns/$NETNS" ]; then
    pids=$(ip netns pids "$NETNS" 2>/dev/null || true)
    [ -z "$pids" ] || stop_pids "process in namespace $NETNS" "$pids"
  fi
  # 4. Cgroups, leaves first.
  for h in /sys/fs/cgroup/*/; do
    [ -d "$h$CGROUP_ROOT" ] || continue
    find "$h$CGROUP_ROOT" -depth -type d -exec rmdir {} \; 2>/dev/null || true
    [ ! -d "$h$CGROUP_ROOT" ] || log "WARNING: cgroup $h$CGROUP_ROOT could not be removed"
  done
  # 5. Network: deleting the namespace deletes the bridge, the pods' veths, the veth pair (and with the host's end
  #    its routes) and every iptables/nftables rule kube-proxy and the kubelet made in there.
  [ ! -e "/run/netns/$NETNS" ] || ip netns del "$NETNS"
  # The kernel removes the namespace's interfaces asynchronously; the host's end of the veth goes with them.
  local deadline=$(( $(date +%s) + 10 ))
  while ip link show "$HOST_IF" >/dev/null 2>&1; do
    if [ "$(date +%s)" -ge "$deadline" ]; then ip link del "$HOST_IF" 2>/dev/null || true; break; fi
    sleep 0.1
  done
  if [ -f "$RUN/service-cidr" ]; then ip route del "$(<"$RUN/service-cidr")" 2>/dev/null || true; fi
  ip route del "$NODE_POD_CIDR" 2>/dev/null || true
  # 6. Kernel settings the kubelet changed.
  if [ -f "$RUN/sysctl.saved" ]; then
    while IFS= read -r s; do sysctl -qw "$s" || log "WARNING: could not restore $s"; done <"$RUN/sysctl.saved"
  fi
  # 7. Mounts left in the host's namespace under our directories (none expected), then our files and the
  #    mount points we created for the private directories. /run/netns: `ip netns add` bind-mounted it on itself.
  for d in $(awk -v r="$RUN" -v dd="$DATA" '$5 ~ "^(" r "|" dd ")" {print $5}' /proc/self/mountinfo | sort -r); do
    umount -l "$d" || log "WARNING: could not unmount $d"
  done
  if [ -f "$RUN/created-dirs" ]; then
    while IFS= read -r d; do
      if [ "$d" = /run/netns ] && [ -z "$(ls -A /run/netns 2>/dev/null)" ]; then
        while mountpoint -q /run/netns; do umount /run/netns || break; done
      fi
      rmdir "$d" 2>/dev/null || log "note: $d is not empty (used by something else); left in place"
    done <"$RUN/created-dirs"
  fi
  rm -rf "$RUN" "$DATA"
  # 8. The Node object, its pods and the kubernetes Service's endpoint, if the cluster is still there.
  if [ -f "$(kubeconfig_path "$name")" ] && [ "$(kctl "$name" get --raw=/readyz 2>/dev/null)" = ok ]; then
    kctl "$name" delete pods --all-namespaces --field-selector "spec.nodeName=$NODE_NAME" --force --grace-period=0 \
      >/dev/null 2>&1 || true
    kctl "$name" delete node "$NODE_NAME" --ignore-not-found >/dev/null 2>&1 || true
    unpublish_apiserver_endpoint "$name"
  fi
}

cmd_down() {
  local name=$1
  [ "$(id -u)" -eq 0 ] || die "node.sh needs root"
  lock
  if [ -f "$RUN/cluster" ] && [ "$(<"$RUN/cluster")" != "$name" ]; then
    die "the real node on this machine belongs to cluster $(<"$RUN/cluster"), not $name"
  fi
  if [ ! -d "$RUN" ] && [ ! -e "/run/netns/$NETNS" ] && ! ip link show "$HOST_IF" >/dev/null 2>&1; then
    log "no real node is up"
    return 0
  fi
  teardown "$name"
  log "real node of cluster $name removed"
}

# --- status ---------------------------------------------------------------------------------------------------

healthy() {
  local name=$1 c ok=0 ready
  for c in "${COMPONENTS[@]}"; do
    if pid=$(pid_of "$c"); then printf '  %-12s pid %s\n' "$c" "$pid"; else printf '  %-12s NOT RUNNING\n' "$c"; ok=1; fi
  done
  ready=$(kctl "$name" get node "$NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null || echo unknown)
  printf '  node %s Ready=%s\n' "$NODE_NAME" "${ready:-unknown}"
  [ "$ready" = True ] || ok=1
  return $ok
}

cmd_status() {
  local name=$1
  if [ ! -f "$RUN/cluster" ]; then echo "no real node is up"; return 1; fi
  [ "$(<"$RUN/cluster")" = "$name" ] || { echo "the real node belongs to cluster $(<"$RUN/cluster")"; return 1; }
  echo "real node of cluster $name (namespace $NETNS, node IP $NODE_IP, pods $NODE_POD_CIDR, logs $LOGS):"
  healthy "$name"
}

cmd_logs() {
  local comp=${2:-} f
  case "$comp" in
    "") for f in "$LOGS"/*.log; do [ -f "$f" ] || continue; printf '==> %s <==\n' "$f"; tail -n 20 "$f"; echo; done ;;
    relay) cat "$LOGS/relay-host.log" "$LOGS/relay-node.log" "$LOGS/relay-pods.log" ;;
    *) [ -f "$LOGS/$comp.log" ] || die "no log for '$comp' in $LOGS"; cat "$LOGS/$comp.log" ;;
  esac
}

main() {
  local cmd=${1:-}
  [ -n "$cmd" ] || usage
  shift
  case "$cmd" in
    up|down|status|logs) check_name "${1:-}" ;;
  esac
  case "$cmd" in
    up) cmd_up "$1" ;;
    down) cmd_down "$1" ;;
    status) cmd_status "$1" ;;
    logs) cmd_logs "$@" ;;
    -h|--help|help) usage ;;
    *) log "unknown command '$cmd'"; usage ;;
  esac
}

main "$@"
