#!/usr/bin/env bash
# Smoke check of the real node of cluster NAME (hack/node/node.sh up NAME must have run): real pods from the
# locally built image localhost/busybox:local run on it, get pod IPs, resolve cluster names through CoreDNS,
# reach a ClusterIP Service through kube-proxy's rules, and the host reaches a pod IP. The apiserver's calls to
# the kubelet are checked too (kubectl logs and exec). Every wait has a deadline and says what it waited for.
#
# Usage: smoke.sh NAME        (SMOKE_WAIT_SECONDS, default 60: deadline of each wait)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
CACHE=${PROXYSQL_OPERATOR_CACHE:-$HOME/.cache/proxysql-operator}
KWOK_WORKDIR=${KWOK_WORKDIR:-$CACHE/kwok}
export KUBECACHEDIR=$KWOK_WORKDIR/kube-cache
NODE_NAME=${NODE_NAME:-real-node}
WAIT=${SMOKE_WAIT_SECONDS:-60}
NS=node-smoke
name=${1:-}
[ -n "$name" ] || { echo "usage: $0 NAME" >&2; exit 2; }

# shellcheck source=../control-plane/versions.env
source "$here/../control-plane/versions.env"
KUBECTL="$CACHE/bin-k$KUBE_VERSION-e$ETCD_VERSION-w$KWOK_VERSION/kubectl"
export KUBECONFIG="$KWOK_WORKDIR/clusters/$name/kubeconfig.yaml"
[ -f "$KUBECONFIG" ] || { echo "smoke: cluster $name does not exist" >&2; exit 1; }
k() { "$KUBECTL" --request-timeout=10s "$@"; }

start=$(date +%s%N)
passed=0
failed=0
log() { printf '[smoke %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
ok() { passed=$((passed + 1)); log "ok: $*"; }
fail() {
  failed=$((failed + 1))
  log "FAILED: $*"
  log "node logs: $CACHE/node-logs (hack/node/node.sh logs $name)"
}

# Retries a command until its output contains the expected text or the deadline passes.
expect() {
  local what=$1 want=$2 deadline out
  shift 2
  deadline=$(( $(date +%s) + WAIT ))
  while :; do
    out=$("$@" 2>&1 || true)
    [[ $out != *"$want"* ]] || { ok "$what"; return 0; }
    if [ "$(date +%s)" -ge "$deadline" ]; then
      fail "$what: no '$want' within ${WAIT}s; last output: $(printf '%s' "$out" | tail -n 5)"
      return 1
    fi
    sleep 0.5
  done
}

if ! "$here/node.sh" status "$name" >/dev/null 2>&1; then
  "$here/node.sh" status "$name" >&2 || true
  log "the real node of cluster $name is not up and Ready (hack/node/node.sh up $name)"
  exit 1
fi

k delete namespace "$NS" --ignore-not-found --wait=true --timeout="${WAIT}s" >/dev/null
k create namespace "$NS" >/dev/null
cleanup() { k delete namespace "$NS" --wait=false >/dev/null 2>&1 || true; }
[ "${SMOKE_KEEP:-0}" = 1 ] || trap cleanup EXIT

# web: busybox httpd on 8080, named web.smoke.<ns>.svc.cluster.local through the headless Service "smoke";
# ClusterIP Service "web" (port 80) in front of it. client: a shell to run checks from.
k apply -n "$NS" -f - >/dev/null <<EOF
apiVersion: v1
kind: Service
metadata: {name: smoke}
spec:
  clusterIP: None
  selector: {app: web}
  ports: [{name: http, port: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec:
  hostname: web
  subdomain: smoke
  nodeSelector: {kubernetes.io/hostname: $NODE_NAME}
  terminationGracePeriodSeconds: 1
  containers:
  - name: httpd
    image: localhost/busybox:local
    imagePullPolicy: Never
    command: [sh, -c, 'echo hello-from-\$(hostname) >/www/index.html && echo serving && exec httpd -f -v -p 8080 -h /www']
    ports: [{containerPort: 8080}]
    readinessProbe:
      tcpSocket: {port: 8080}
      periodSeconds: 1
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  nodeSelector: {kubernetes.io/hostname: $NODE_NAME}
  terminationGracePeriodSeconds: 1
  containers:
  - name: sh
    image: localhost/busybox:local
    imagePullPolicy: Never
    command: [sh, -c, 'exec sleep 3600']
EOF

if k wait -n "$NS" --for=condition=Ready pod/web pod/client --timeout="${WAIT}s" >/dev/null; then
  ok "pods web and client Running and Ready on $NODE_NAME (web's readiness probe run by the kubelet)"
else
  k get pods -n "$NS" -o wide >&2 || true
  k describe pods -n "$NS" 2>&1 | tail -n 30 >&2 || true
  fail "pods web and client did not become Ready within ${WAIT}s"
  exit 1
fi
# Run by the real kubelet, not simulated by kwok: the node's IP and a container ID from containerd.
real=$(k get pod web -n "$NS" -o jsonpath='{.status.hostIP} {.status.containerStatuses[0].containerID}')
[[ $real == "10.250.0.2 containerd://"* ]] && ok "web runs in containerd on the real node ($real)" \
  || fail "web does not look like a real pod: hostIP and containerID '$real'"
web_ip=$(k get pod web -n "$NS" -o jsonpath='{.status.podIP}')
client_ip=$(k get pod client -n "$NS" -o jsonpath='{.status.podIP}')
svc_ip=$(k get service web -n "$NS" -o jsonpath='{.spec.clusterIP}')
kube_ip=$(k get service kubernetes -n default -o jsonpath='{.spec.clusterIP}')
[[ $web_ip =~ ^10\.244\. ]] && [[ $client_ip =~ ^10\.244\. ]] \
  && ok "pod IPs from the node's pod network: web $web_ip, client $client_ip" \
  || fail "unexpected pod IPs: web '$web_ip', client '$client_ip'"

expect "kubectl logs (apiserver -> kubelet)" serving k logs -n "$NS" web
expect "kubectl exec (apiserver -> kubelet -> containerd)" "$client_ip" k exec -n "$NS" client -- ip -4 addr show eth0
expect "DNS: kubernetes.default.svc.cluster.local -> $kube_ip" "Address: $kube_ip" \
  k exec -n "$NS" client -- nslookup kubernetes.default.svc.cluster.local
expect "DNS: web.smoke.$NS.svc.cluster.local (hostname.subdomain) -> $web_ip" "Address: $web_ip" \
  k exec -n "$NS" client -- nslookup "web.smoke.$NS.svc.cluster.local"
expect "DNS: web.$NS.svc.cluster.local (ClusterIP Service) -> $svc_ip" "Address: $svc_ip" \
  k exec -n "$NS" client -- nslookup "web.$NS.svc.cluster.local"
# busybox 1.35 wget crashes with -T (a timeout); its timeout applet bounds it instead.
expect "pod -> pod IP $web_ip:8080" hello-from-web k exec -n "$NS" client -- timeout 5 wget -q -O - "http://$web_ip:8080/"
expect "pod -> ClusterIP Service web (kube-proxy DNAT) by name" hello-from-web \
  k exec -n "$NS" client -- timeout 5 wget -q -O - "http://web.$NS.svc.cluster.local/"
expect "host -> pod IP $web_ip:8080" hello-from-web curl -sS -m 3 "http://$web_ip:8080/"
expect "host -> ClusterIP $svc_ip:80" hello-from-web curl -sS -m 3 "http://$svc_ip/"
expect "DNS refuses names outside the cluster (no upstream)" REFUSED \
  k exec -n "$NS" client -- nslookup example.com
# In-cluster API clients (an operator's pod) dial the kubernetes Service; node.sh publishes its relay as the endpoint.
expect "pod -> kubernetes Service $kube_ip:443 (the API server, through the node's relay)" rc=0 \
  k exec -n "$NS" client -- sh -c "echo | timeout 5 nc $kube_ip 443 >/dev/null; echo rc=\$?"

# Pods cannot open connections to the host (unless NODE_ALLOW_HOST_PORTS lists the port): a listener of ours on
# the host's end of the veth must stay unreachable from a pod.
probe_port=18099
socat "TCP-LISTEN:$probe_port,bind=10.250.0.1,reuseaddr,fork" SYSTEM:'echo reached-host' </dev/null >/dev/null 2>&1 &
probe_pid=$!
wait_listen() { ss -ltn "sport = :$probe_port" | grep -q LISTEN; }
deadline=$(( $(date +%s) + 5 ))
until wait_listen || [ "$(date +%s)" -ge "$deadline" ]; do sleep 0.1; done
if ! wait_listen; then
  fail "could not start the probe listener on 10.250.0.1:$probe_port"
else
  out=$(k exec -n "$NS" client -- sh -c "echo | timeout 5 nc 10.250.0.1 $probe_port; echo rc=\$?" 2>&1 || true)
  case "$out" in
    *reached-host*) fail "a pod reached a listener on the host (10.250.0.1:$probe_port): $out" ;;
    *rc=0*) fail "the host-isolation probe from the pod did not fail: $out" ;;
    *rc=*) ok "a pod cannot connect to the host: 10.250.0.1:$probe_port refused ($(echo "$out" | tr '\n' ' '))" ;;
    *) fail "could not run the host-isolation probe from the pod: $out" ;;
  esac
fi
kill "$probe_pid" 2>/dev/null || true

log "$passed passed, $failed failed in $(( ($(date +%s%N) - start) / 1000000 ))ms"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
