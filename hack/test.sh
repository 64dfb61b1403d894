#!/usr/bin/env bash
# Runs every test: unit tests, then integration tests against real local control planes.
# On first use it builds the control plane, Helm and cert-manager from Go modules and real ProxySQL from the sources in
# ../shared/third_party/proxysql (see README.md for how long each takes), and installs the Debian packages the tests use;
# later runs reuse them. ProxySQL (C and C++) is built while the Go components are: each leaves cores idle at times
# (configure scripts, downloads, links), and they share nothing. TEST_BUILDS_IN_PARALLEL=0 builds one after the other.
# At the end (pass or fail) it prints how long each phase took and the slowest integration test classes.
#
#   TEST_BUDGET_MINUTES=N   the tests' global budget (default below)
#   -Dit.forks=N            (any Maven argument is passed on) integration test JVMs at once, each with its own cluster
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

step() { printf '\n==> %s\n' "$*" >&2; }
started=$(date +%s)
times=()
timed() {
  local name=$1 t rc=0
  shift
  t=$(date +%s)
  "$@" || rc=$?
  times+=("$(printf '%-58s %5d s' "$name" $(( $(date +%s) - t )))")
  return "$rc"
}

marks=$(mktemp)
proxysql_time=$(mktemp)
proxysql_pid=""
summary() {
  local rc=$? t
  if [ -n "$proxysql_pid" ] && kill -0 "$proxysql_pid" 2>/dev/null; then
    kill -- "-$proxysql_pid" 2>/dev/null || true   # its own process group: the build and its compilers
  fi
  printf '\n==> Where the time went\n' >&2
  for t in "${times[@]}"; do printf '  %s\n' "$t" >&2; done
  maven_phases >&2 || true
  slowest_classes >&2 || true
  printf '  %-58s %5d s (exit code %d)\n' "total" $(( $(date +%s) - started )) "$rc" >&2
  rm -f "$marks" "$proxysql_time"
}
trap summary EXIT
trap 'exit 130' INT TERM

# The Maven run's phases, from the times its plugin headers ("--- surefire:...") went by.
maven_phases() {
  [ -s "$marks" ] || return 0
  local prev_t="" prev_name="" t name
  while read -r t name; do
    if [ -n "$prev_name" ]; then printf '    %-56s %5d s\n' "mvn $prev_name" $(( t - prev_t )); fi
    prev_t=$t prev_name=$name
  done <"$marks"
}

# The ten slowest integration test classes of this run (failsafe's reports), and the unit tests' total.
slowest_classes() {
  local dir=target/failsafe-reports
  [ -d "$dir" ] || return 0
  printf '  slowest integration test classes (their own time; forks run several at once):\n'
  for f in "$dir"/TEST-*.xml; do
    [ -f "$f" ] || continue
    sed -n 's/.*<testsuite [^>]*name="\([^"]*\)"[^>]*time="\([0-9.,]*\)".*/\2 \1/p;s/.*<testsuite [^>]*time="\([0-9.,]*\)"[^>]*name="\([^"]*\)".*/\1 \2/p' "$f" | head -1
  done | tr -d ',' | sort -rn | head -10 | while read -r secs class; do
    printf '    %-56s %5.0f s\n' "${class##*.}" "$secs"
  done
}

# "[INFO] --- maven-surefire-plugin:3.5.2:test (default-test) @ x ---" -> "surefire:test (default-test)"
plugin_goal() {
  sed 's/.*--- \([^ ]*\) \(([^)]*)\).*/\1 \2/; s/maven-\([a-z-]*\)-plugin:/\1:/; s/:[0-9][^:]*:/:/' <<<"$1"
}

# Runs mvn, noting when each plugin execution starts (for maven_phases).
mvn_timed() {
  local line
  "$@" 2>&1 | while IFS= read -r line; do
    printf '%s\n' "$line"
    case $line in
      "[INFO] --- "*" ---"*) echo "$(date +%s) $(plugin_goal "$line")" >>"$marks" ;;
      *"BUILD SUCCESS"*|*"BUILD FAILURE"*) echo "$(date +%s) end" >>"$marks" ;;
    esac
  done
  return "${PIPESTATUS[0]}"
}

step "Test prerequisites (Debian packages: MariaDB and Galera as the backends, libconfig++ for the config tests)"
timed "Debian packages (hack/test-prerequisites.sh)" bash hack/test-prerequisites.sh

proxysql_versions=$(. hack/proxysql/versions.env && echo "$PROXYSQL_VERSIONS")
build_proxysql() {
  local t rc=0
  t=$(date +%s)
  bash hack/proxysql/build.sh >/dev/null || rc=$?
  echo "$(( $(date +%s) - t )) $rc" >"$proxysql_time"
  return "$rc"
}
step "Real ProxySQL $proxysql_versions, for the ProxySQL-level tests (built once from ../shared/third_party/proxysql, then cached; about 10 to 20 min on 2 cores the first time)"
if [ "${TEST_BUILDS_IN_PARALLEL:-1}" = 1 ]; then
  echo "(building in the background while the Go components build; its lines start with [proxysql-build])" >&2
  set -m   # a process group of its own, so that an interrupted run can stop the whole build
  build_proxysql &
  proxysql_pid=$!
  set +m
else
  timed "ProxySQL $proxysql_versions (hack/proxysql/build.sh)" build_proxysql
fi

step "Local control plane binaries (built once from Go modules, then cached in ${PROXYSQL_OPERATOR_CACHE:-$HOME/.cache/proxysql-operator})"
timed "control plane (hack/control-plane/build.sh)" bash hack/control-plane/build.sh >/dev/null

step "Helm, for the chart's tests (built once from Go modules, then cached)"
timed "Helm (hack/build-helm.sh)" bash hack/build-helm.sh >/dev/null

step "cert-manager's controller, for the cert-manager tests (built once from its Go library module, hack/cert-manager/)"
timed "cert-manager (hack/cert-manager/build.sh)" bash hack/cert-manager/build.sh >/dev/null

if [ -n "$proxysql_pid" ]; then
  step "Waiting for the ProxySQL build"
  rc=0
  timed "waiting for the ProxySQL build after the Go ones" wait "$proxysql_pid" || rc=$?
  proxysql_pid=""
  read -r secs _ <"$proxysql_time" || secs="?"
  times+=("  $(printf '%-56s %5s s' "ProxySQL $proxysql_versions (hack/proxysql/build.sh, in parallel)" "$secs")")
  [ "$rc" -eq 0 ] || { echo "FAILED: the ProxySQL build (hack/proxysql/build.sh) failed; its messages are above" >&2; exit "$rc"; }
fi

# A global budget for the tests themselves (the builds above report their own progress and are bounded by CI's limit):
# a broken operator must fail in minutes, not after every wait in every test has run to its deadline.
budget=${TEST_BUDGET_MINUTES:-40}
step "Unit and integration tests (mvn verify; budget ${budget} min, TEST_BUDGET_MINUTES to change)"
rc=0
timed "Maven: unit and integration tests (mvn verify)" \
  mvn_timed timeout --foreground --kill-after=30s "${budget}m" mvn -B -ntp verify -Dlibconfig.required=true "$@" || rc=$?
if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
  echo "FAILED: the tests did not finish within their ${budget}-minute budget (TEST_BUDGET_MINUTES)" >&2
fi
exit "$rc"
