#!/usr/bin/env bash
# Runs every test: unit tests, then integration tests against a real local control plane.
# On first use it builds the control plane and Helm from Go modules (a few minutes, with progress) and installs the
# Debian packages the tests use; later runs reuse them.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*" >&2; }

step "Test prerequisites (Debian packages: MariaDB for the admin-client tests, libconfig++ for the config tests)"
bash hack/test-prerequisites.sh

step "Local control plane binaries (built once from Go modules, then cached in ${PROXYSQL_OPERATOR_CACHE:-$HOME/.cache/proxysql-operator})"
bash hack/control-plane/build.sh >/dev/null

step "Helm, for the chart's tests (built once from Go modules, then cached)"
bash hack/build-helm.sh >/dev/null

step "Unit and integration tests (mvn verify)"
exec mvn -B -ntp verify -Dlibconfig.required=true "$@"
