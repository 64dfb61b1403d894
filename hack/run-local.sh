#!/usr/bin/env bash
# `make run`: with no cluster at hand, starts the local control plane, installs deploy/local (the CRDs, version
# catalog, policies, and the operator's namespace, ServiceAccount and RBAC: deploy/install without the Deployment
# and the webhook), runs the operator as a local process under that ServiceAccount (a token in its own kubeconfig, so
# the demo gets exactly the permissions of a real installation), applies a sample ProxySQL and shows it progress live.
#   hack/run-local.sh          start everything (reuses a running local cluster)
#   hack/run-local.sh stop     stop the operator and the local cluster
set -euo pipefail
cd "$(dirname "$0")/.."
CLUSTER=proxysql-dev
STATE=${PROXYSQL_OPERATOR_CACHE:-$HOME/.cache/proxysql-operator}/run-local
mkdir -p "$STATE"
step() { printf '\n==> %s\n' "$*" >&2; }

stop() {
  if [ -f "$STATE/operator.pid" ] && kill -0 "$(cat "$STATE/operator.pid")" 2>/dev/null; then
    kill "$(cat "$STATE/operator.pid")" && echo "operator stopped" >&2
  fi
  rm -f "$STATE/operator.pid"
  bash hack/control-plane/cluster.sh down "$CLUSTER"
}
if [ "${1:-}" = stop ]; then stop; exit 0; fi

step "Building the control plane (first run only: etcd, Kubernetes and kwok from Go modules, about 8 minutes)"
BIN=$(bash hack/control-plane/build.sh | tail -1)
export PATH="$BIN:$PATH"

step "Starting the local cluster '$CLUSTER' (pods start with a 2 s simulated delay)"
KUBECONFIG=$(POD_READY_DELAY_MS=${POD_READY_DELAY_MS:-2000} bash hack/control-plane/cluster.sh up "$CLUSTER" | tail -1)
export KUBECONFIG

step "Building the operator"
mvn -B -q -ntp package -DskipTests
if ! diff -rq target/classes/META-INF/fabric8 deploy/install/crds --exclude=kustomization.yaml >/dev/null; then
  echo "deploy/install/crds differs from the CRDs the build generated; refresh it with hack/update-crds.sh" >&2
  exit 1
fi
step "Installing deploy/local: CRDs, the ProxySQLVersion catalog, the DoNotTerminate policy, the operator's ServiceAccount and RBAC"
# The CRDs first: kubectl resolves every kind before applying anything, so the catalog needs its CRD established.
kubectl apply --server-side -k deploy/install/crds >/dev/null
kubectl kustomize deploy/install/crds | kubectl wait --for=condition=Established --timeout=60s -f - >/dev/null
kubectl apply --server-side -k deploy/local >/dev/null
kubectl get prxversion

step "Credentials: a token of ServiceAccount proxysql-operator-system/proxysql-operator ($STATE/operator-kubeconfig.yaml)"
token=$(kubectl create token proxysql-operator -n proxysql-operator-system --duration=720h)
server=$(kubectl config view --minify -o jsonpath='{.clusters[0].cluster.server}')
ca=$(kubectl config view --raw --minify --flatten -o jsonpath='{.clusters[0].cluster.certificate-authority-data}')
(umask 077 && cat >"$STATE/operator-kubeconfig.yaml" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
- name: $CLUSTER
  cluster: {server: "$server", certificate-authority-data: "$ca"}
users:
- name: proxysql-operator
  user: {token: "$token"}
contexts:
- name: proxysql-operator
  context: {cluster: $CLUSTER, user: proxysql-operator, namespace: proxysql-operator-system}
current-context: proxysql-operator
KUBECONFIG
)
KUBECONFIG="$STATE/operator-kubeconfig.yaml" kubectl auth whoami -o jsonpath='{.status.userInfo.username}{"\n"}'

step "Starting the operator as that ServiceAccount (log: $STATE/operator.log)"
if [ -f "$STATE/operator.pid" ] && kill -0 "$(cat "$STATE/operator.pid")" 2>/dev/null; then
  kill "$(cat "$STATE/operator.pid")"
fi
# Leader election (on by default) keeps its Lease proxysql-operator in proxysql-operator-system outside a pod, as an
# installation would; deploy/local created that namespace and the Role allowing it.
# --no-proxysql-checks: the local cluster's pods run no ProxySQL to ask; ops requests say the check was skipped.
# --webhook-port=0: the API server could not reach a webhook on this host through the in-cluster Service.
KUBECONFIG="$STATE/operator-kubeconfig.yaml" nohup java -jar target/proxysql-operator.jar \
  --controllers=provisioner,ops-manager --no-proxysql-checks --webhook-port=0 \
  >"$STATE/operator.log" 2>&1 &
echo $! >"$STATE/operator.pid"

step "Applying a sample: a backend AppBinding and a 3-replica ProxySQL in namespace demo"
kubectl apply --server-side -f deploy/samples/namespace.yaml >/dev/null
# A re-run starts the demo afresh: the sample from a previous run was upgraded, and spec.version cannot be edited back.
kubectl -n demo delete prxops --all --ignore-not-found >/dev/null
kubectl -n demo delete prx proxy-server --ignore-not-found --wait >/dev/null
kubectl apply --server-side -f deploy/samples/backend.yaml >/dev/null
kubectl apply --server-side -f deploy/samples/proxysql.yaml >/dev/null

step "Watching until the ProxySQL is Ready"
deadline=$((SECONDS + 180))
last=""
while :; do
  now=$(kubectl -n demo get prx proxy-server -o jsonpath='{.status.phase}' 2>/dev/null || true)
  pods=$(kubectl -n demo get pods -l app.kubernetes.io/instance=proxy-server --no-headers 2>/dev/null | awk '{print $1"="$3"("$2")"}' | tr '\n' ' ')
  line="phase=${now:-<none>}  pods: ${pods:-<none>}"
  [ "$line" != "$last" ] && printf '%s  %s\n' "$(date +%H:%M:%S)" "$line" && last=$line
  [ "$now" = Ready ] && break
  if [ $SECONDS -gt $deadline ]; then
    echo "not Ready after 180 s; operator log: $STATE/operator.log" >&2
    exit 1
  fi
  sleep 1
done
kubectl -n demo get prx,sts,svc,secret,pdb

step "Upgrading it to 2.7.3-debian with a ProxySQLOpsRequest (one pod at a time, 2 s simulated start-up each)"
kubectl -n demo delete prxops proxy-server-upgrade --ignore-not-found >/dev/null
kubectl apply --server-side -f deploy/samples/upgrade.yaml >/dev/null
deadline=$((SECONDS + 300))
last=""
while :; do
  phase=$(kubectl -n demo get prxops proxy-server-upgrade -o jsonpath='{.status.phase}' 2>/dev/null || true)
  step_=$(kubectl -n demo get prxops proxy-server-upgrade -o jsonpath='{.status.progress.step}' 2>/dev/null || true)
  pods=$(kubectl -n demo get pods -l app.kubernetes.io/instance=proxy-server --no-headers \
    -o custom-columns=N:.metadata.name,I:.spec.containers[0].image,R:.status.containerStatuses[0].ready 2>/dev/null \
    | awk '{sub(/.*:/,"",$2); print $1"="$2(($3=="true")?"":"(starting)")}' | tr '\n' ' ')
  line="request=${phase:-<none>} step=${step_:-<none>}  pods: ${pods:-<none>}"
  [ "$line" != "$last" ] && printf '%s  %s\n' "$(date +%H:%M:%S)" "$line" && last=$line
  case "$phase" in Successful|Failed) break ;; esac
  if [ $SECONDS -gt $deadline ]; then
    echo "the upgrade did not finish in 300 s; operator log: $STATE/operator.log" >&2
    exit 1
  fi
  sleep 1
done
kubectl -n demo get prx,prxops
kubectl -n demo get prxops proxy-server-upgrade \
  -o jsonpath='{range .status.conditions[*]}{.type}{"\t"}{.message}{"\n"}{end}' | column -t -s $'\t' | cut -c1-160

cat <<MSG

The ProxySQL is Ready and upgraded. Look around with:
  export KUBECONFIG=$KUBECONFIG PATH=$BIN:\$PATH
  kubectl -n demo get prx proxy-server -o yaml
  kubectl -n demo describe prxops proxy-server-upgrade      # conditions and Events of every step
  kubectl apply -f deploy/samples/vertical-scaling.yaml     # then: kubectl -n demo get prxops -w
  kubectl -n demo get secret proxy-server-configuration -o jsonpath='{.data.proxysql\\.cnf}' | base64 -d
  tail -f $STATE/operator.log
  curl -s localhost:8080/metrics | grep ^proxysql_      # metrics; health: curl localhost:8081/readyz
The operator runs as ServiceAccount proxysql-operator-system/proxysql-operator (kubeconfig
$STATE/operator-kubeconfig.yaml; its token is valid for 30 days, \`make run\` renews it):
  kubectl auth can-i --list --as=system:serviceaccount:proxysql-operator-system:proxysql-operator
Stop everything with:
  hack/run-local.sh stop
MSG
