#!/usr/bin/env bash
# Benchmarks of the operator on dedicated local control planes (see bench/README.md).
#   bench/run.sh [scale|upgrade|all]      default: all (on kwok nodes)
#   sudo bench/run.sh realpods            the upgrade on real pods (hack/node/): ops request vs native RollingUpdate
#                                         of 2.6.5 -> 2.7.1, clients writing through the Service during each. Root.
#   bench/run.sh galera                   writer failover on a local 3-node MariaDB Galera cluster: ProxySQL in front
#                                         vs clients straight to the nodes (no control plane; not in "all")
# Builds what it needs (control-plane binaries, the operator jar, the bench drivers), starts one cluster per
# benchmark, runs the operator as a separate JVM, prints a results table per benchmark and deletes the cluster.
# Settings (environment):
#   BENCH_OPERATOR_JAVA_OPTS  JVM options of the operator process (default: those of the installed Deployment)
#   BENCH_SCALE_OBJECTS       ProxySQLs in the scale benchmark (default 1000)
#   BENCH_SCALE_NAMESPACES    namespaces they are spread over (default 20)
#   BENCH_SCALE_CONTROLLERS   controllers the operator runs in the scale benchmark (default provisioner,ops_manager;
#                             provisioner alone shows what the ops manager's caches cost)
#   BENCH_IDLE_SECONDS        idle window after the scale benchmark settles (default 60)
#   BENCH_PROFILE=1           also write a memory profile of the operator (NMT, heap histogram) to target/bench/
#   BENCH_UPGRADE_SIZES       replica counts of the upgrade benchmark (default "3 10")
#   BENCH_UPGRADE_ROUNDS      rounds per size, each one native rollout then one ops request (default 3)
#   BENCH_POD_READY_DELAY_MS  simulated pod start-up delay in the upgrade benchmark (default 2000)
#   BENCH_SKIP_BUILD=1        reuse target/ as it is (no mvn package)
#   BENCH_GALERA_ROUNDS       rounds of the galera benchmark, each one kill with ProxySQL and one without (default 3)
#   BENCH_GALERA_CLIENTS      client threads of short write transactions (default 4)
#   BENCH_GALERA_PROXYSQL     the ProxySQL build in front (default: the newest of hack/proxysql/versions.env)
#   BENCH_OPERATOR_JAR        run this operator jar instead of target/proxysql-operator.jar (e.g. a build of
#                             another commit, for before/after figures)
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
WHAT=${1:-all}
case "$WHAT" in scale|upgrade|all|realpods|galera) ;; *) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2 ;; esac

OUT=$REPO/target/bench
# By default the operator runs as it would in its installed Deployment: the image's JVM options (Dockerfile
# ENTRYPOINT), and the container's CPU and memory limits (deploy/install/operator/deployment.yaml) given to the JVM
# as -XX:ActiveProcessorCount and -XX:MaxRAM, which size its heap, collector and thread pools as the limits would.
deployment_jvm_options() {
  local entry limits cpu mem
  entry=$(sed -n 's/^ENTRYPOINT \["java", \(.*\), "-jar", .*/\1/p' Dockerfile | tr -d '",')
  limits=$(sed -n 's/^ *limits: {\(.*\)}$/\1/p' deploy/install/operator/deployment.yaml)
  cpu=$(sed -n 's/.*cpu: "\{0,1\}\([0-9]*\)"\{0,1\}.*/\1/p' <<<"$limits")
  mem=$(sed -n 's/.*memory: \([0-9]*\)Mi.*/\1/p' <<<"$limits")
  if [ -z "$entry" ] || [ -z "$cpu" ] || [ -z "$mem" ]; then
    echo "bench/run.sh: cannot read the JVM options from Dockerfile's ENTRYPOINT or the limits from deployment.yaml" >&2
    exit 1
  fi
  echo "-XX:ActiveProcessorCount=$cpu -XX:MaxRAM=${mem}m $entry"
}
OPERATOR_JAVA_OPTS=${BENCH_OPERATOR_JAVA_OPTS:-$(deployment_jvm_options)}
[ "${BENCH_PROFILE:-0}" != 1 ] || OPERATOR_JAVA_OPTS="$OPERATOR_JAVA_OPTS -XX:NativeMemoryTracking=summary"
CLUSTER_SH=$REPO/hack/control-plane/cluster.sh
started_clusters=()

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
cleanup() {
  local c
  for c in "${started_clusters[@]}"; do bash "$CLUSTER_SH" down "$c" >/dev/null 2>&1 || true; done
}
trap cleanup EXIT

build() {
  log "control-plane binaries (built once into ${PROXYSQL_OPERATOR_CACHE:-~/.cache/proxysql-operator})"
  BIN=$(bash hack/control-plane/build.sh | tail -n 1)
  export PATH="$BIN:$PATH"
  if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
    log "operator jar (mvn package -DskipTests)"
    mvn -B -q -ntp package -DskipTests
  fi
  log "bench drivers (javac against the operator jar)"
  rm -rf target/bench-classes && mkdir -p target/bench-classes "$OUT"
  javac -nowarn -d target/bench-classes -cp target/proxysql-operator.jar bench/src/dev/proxysql/bench/*.java
}

header() {
  local kube etcd kwok
  # shellcheck source=../hack/control-plane/versions.env
  source hack/control-plane/versions.env
  echo "== ProxySQL operator benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "commit:   $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src pom.xml || echo ' (+ uncommitted changes)')"
  echo "machine:  $(nproc) CPUs ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)), $(free -m | awk '/^Mem:/{print $2}') MiB RAM, $(uname -sr)"
  echo "load:     $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min) at start"
  echo "java:     $(java -version 2>&1 | head -1)"
  echo "versions: operator $(sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -1), JOSDK $(sed -n 's:.*<josdk.version>\(.*\)</josdk.version>.*:\1:p' pom.xml), fabric8 $(sed -n 's:.*<fabric8.version>\(.*\)</fabric8.version>.*:\1:p' pom.xml), Kubernetes $KUBE_VERSION, etcd $ETCD_VERSION, kwok $KWOK_VERSION"
  if [ "$WHAT" = realpods ]; then
    echo "operator: the Deployment of deploy/install (image from the Dockerfile, hack/images/build.sh), ProxySQL checks on"
  else
    echo "operator: java $OPERATOR_JAVA_OPTS -jar ${BENCH_OPERATOR_JAR:-target/proxysql-operator.jar} --no-leader-election --webhook-port=0 --controllers=provisioner,ops_manager --no-proxysql-checks"
  fi
}

# Starts cluster $1 (extra settings in the environment) and installs CRDs, the version catalog and the policies.
cluster_up() {
  local name=$1
  started_clusters+=("$name")
  KUBECONFIG=$(CLUSTER_RECREATE=1 CLUSTER_OWNER_PID=$$ bash "$CLUSTER_SH" up "$name" | tail -n 1)
  export KUBECONFIG
  kubectl apply --server-side -f target/classes/META-INF/fabric8/ >/dev/null
  kubectl wait --for=condition=Established crd --all --timeout=60s >/dev/null
  kubectl apply --server-side -k deploy/catalog >/dev/null
  kubectl apply --server-side -k deploy/policies >/dev/null
}

cluster_down() {
  bash "$CLUSTER_SH" down "$1" >/dev/null 2>&1 || true
}

driver() {
  local main=$1
  shift
  java -Xmx1g -cp target/proxysql-operator.jar:target/bench-classes -Dlogback.configurationFile="$REPO/bench/logback-driver.xml" \
    -Dbench.repo="$REPO" -Dbench.kubeconfig="$KUBECONFIG" -Dbench.out="$OUT" \
    -Dbench.operatorJavaOpts="$OPERATOR_JAVA_OPTS" -Dbench.jar="${BENCH_OPERATOR_JAR:-$REPO/target/proxysql-operator.jar}" "$@" "dev.proxysql.bench.$main"
}

bench_scale() {
  local name=bench-scale
  log "scale: cluster $name (audit log on)"
  CLUSTER_AUDIT=1 cluster_up "$name"
  # kwok's nodes say 32 CPUs and 110 pods; 1,000 pods requesting 500m CPU and 1Gi each need more room.
  local n
  for n in $(kubectl get nodes -o name); do
    kubectl patch "$n" --subresource=status --type=merge \
      -p '{"status":{"capacity":{"cpu":"1k","memory":"4Ti","pods":"1k"},"allocatable":{"cpu":"1k","memory":"4Ti","pods":"1k"}}}' >/dev/null
  done
  # The apiserver's default Service range is a /24: 254 ClusterIPs for 1,000 primary Services. Add a /20.
  kubectl apply -f - >/dev/null <<'YAML'
apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata: {name: bench-extra}
spec: {cidrs: ["10.1.0.0/20"]}
YAML
  kubectl wait --for=condition=Ready servicecidr/bench-extra --timeout=60s >/dev/null
  driver ScaleBench -Dbench.audit="$(bash "$CLUSTER_SH" audit-log "$name")" \
    -Dbench.objects="${BENCH_SCALE_OBJECTS:-1000}" -Dbench.namespaces="${BENCH_SCALE_NAMESPACES:-20}" \
    -Dbench.idleSeconds="${BENCH_IDLE_SECONDS:-60}" -Dbench.controllers="${BENCH_SCALE_CONTROLLERS:-provisioner,ops_manager}" -Dbench.profile="$([ "${BENCH_PROFILE:-0}" = 1 ] && echo true || echo false)"
  cluster_down "$name"
}

bench_upgrade() {
  local name=bench-upgrade delay=${BENCH_POD_READY_DELAY_MS:-2000}
  log "upgrade: cluster $name (pod start-up delay ${delay} ms, termination ${POD_DELETE_DELAY_MS:-300} ms: the cluster default)"
  # The audit log lets the driver write a timeline of every API write of each run (target/bench/upgrade-writes-*.txt);
  # it costs the native rollout and the ops request alike.
  CLUSTER_AUDIT=1 POD_READY_DELAY_MS=$delay cluster_up "$name"
  driver UpgradeBench -Dbench.audit="$(bash "$CLUSTER_SH" audit-log "$name")" \
    -Dbench.sizes="${BENCH_UPGRADE_SIZES:-3 10}" -Dbench.rounds="${BENCH_UPGRADE_ROUNDS:-3}" \
    -Dbench.podReadyDelayMs="$delay"
  cluster_down "$name"
}

# The real node, the images (hack/images/build.sh: ProxySQL 2.6.5/2.7.1, MariaDB, the operator's Dockerfile) and the
# operator installed as its Deployment (hack/node/install-operator.sh: kubectl apply -k deploy/install), which runs
# with the ProxySQL checks on, as installed.
bench_realpods() {
  local name=bench-real
  [ "$(id -u)" -eq 0 ] || { log "realpods needs root (the real node: namespaces, mounts, cgroups)"; exit 1; }
  log "realpods: images, cluster $name with the real node, the operator's Deployment"
  bash hack/node/build.sh >/dev/null
  bash hack/images/build.sh >/dev/null
  started_clusters+=("$name")
  KUBECONFIG=$(CLUSTER_REAL_NODE=1 CLUSTER_NODES=0 CLUSTER_RECREATE=1 CLUSTER_OWNER_PID=$$ bash "$CLUSTER_SH" up "$name" | tail -n 1)
  export KUBECONFIG
  bash hack/node/node.sh up "$name"
  bash hack/images/import.sh /run/proxysql-operator-node/containerd/containerd.sock localhost/mariadb:10.11-local \
    localhost/proxysql:2.6.5-local localhost/proxysql:2.7.1-local >/dev/null
  bash hack/node/install-operator.sh "$name"
  driver RealPodUpgradeBench -Dbench.clients="${BENCH_REALPODS_CLIENTS:-4}"
  cluster_down "$name"
}

# The Galera benchmark runs on the integration tests' fixtures (LocalGalera, LocalProxySql): test classes, no cluster.
bench_galera() {
  local version cp
  version=${BENCH_GALERA_PROXYSQL:-$(sed -n 's/^PROXYSQL_VERSIONS="\([^ "]*\).*/\1/p' hack/proxysql/versions.env)}
  log "galera: Debian packages (mariadb-server, galera-4, rsync), ProxySQL $version (built once), test classes"
  bash hack/test-prerequisites.sh
  bash hack/proxysql/build.sh "$version" >/dev/null
  mkdir -p "$OUT"
  mvn -B -q -ntp test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$OUT/test-classpath.txt"
  cp="target/classes:target/test-classes:$(cat "$OUT/test-classpath.txt")"
  rm -rf target/bench-galera-classes && mkdir -p target/bench-galera-classes
  javac -nowarn -d target/bench-galera-classes -cp "$cp" bench/src/dev/proxysql/bench/galera/*.java
  echo "== Galera failover benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "commit:   $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src bench || echo ' (+ uncommitted changes)')"
  echo "machine:  $(nproc) CPUs, $(free -m | awk '/^Mem:/{print $2}') MiB RAM; load $(cut -d' ' -f1-3 /proc/loadavg) at start"
  echo "backend:  $(mariadbd --version 2>/dev/null || /usr/sbin/mariadbd --version), galera-4 $(dpkg-query -W -f='${Version}' galera-4 2>/dev/null)"
  java -Xmx512m -cp "$cp:target/bench-galera-classes" -Dlogback.configurationFile="$REPO/bench/logback-driver.xml" \
    -Dbench.rounds="${BENCH_GALERA_ROUNDS:-3}" -Dbench.clients="${BENCH_GALERA_CLIENTS:-4}" -Dbench.proxysql="$version" \
    dev.proxysql.bench.galera.GaleraFailoverBench
}
if [ "$WHAT" = galera ]; then
  bench_galera
  exit 0
fi

build
header
case "$WHAT" in
  scale) bench_scale ;;
  upgrade) bench_upgrade ;;
  all) bench_scale; bench_upgrade ;;
  realpods) bench_realpods ;;
esac
