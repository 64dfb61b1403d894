#!/usr/bin/env bash
# Runs every test: unit tests, then integration tests against a real local control plane.
# On first use it builds the control plane and Helm from Go modules (a few minutes, with progress), real ProxySQL from
# the sources in ../shared/third_party/proxysql (10 to 20 minutes), and installs the Debian packages the tests use;
# later runs reuse them.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*" >&2; }

step "Test prerequisites (Debian packages: MariaDB and Galera as the backends, libconfig++ for the config tests)"
bash hack/test-prerequisites.sh

step "Local control plane binaries (built once from Go modules, then cached in ${PROXYSQL_OPERATOR_CACHE:-$HOME/.cache/proxysql-operator})"
bash hack/control-plane/build.sh >/dev/null

step "Helm, for the chart's tests (built once from Go modules, then cached)"
bash hack/build-helm.sh >/dev/null

step "Real ProxySQL $(. hack/proxysql/versions.env && echo "$PROXYSQL_VERSIONS"), for the ProxySQL-level tests (built once from ../shared/third_party/proxysql, then cached; about 10 to 20 min on 2 cores the first time)"
bash hack/proxysql/build.sh >/dev/null

step "cert-manager's controller, for the cert-manager tests (built once from its Go library module, hack/cert-manager/; about 4.5 min cold, modules included)"
bash hack/cert-manager/build.sh >/dev/null

# A global budget for the tests themselves (the builds above report their own progress and are bounded by CI's limit):
# a broken operator must fail in minutes, not after every wait in every test has run to its deadline.
budget=${TEST_BUDGET_MINUTES:-40}
step "Unit and integration tests (mvn verify; budget ${budget} min, TEST_BUDGET_MINUTES to change)"
rc=0
timeout --foreground --kill-after=30s "${budget}m" mvn -B -ntp verify -Dlibconfig.required=true "$@" || rc=$?
if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
  echo "FAILED: the tests did not finish within their ${budget}-minute budget (TEST_BUDGET_MINUTES)" >&2
fi
exit "$rc"
