#!/usr/bin/env bash
# Makes sure a MariaDB server binary is on this machine for the admin-client integration tests
# (src/test/java/dev/proxysql/operator/testing/mariadb/LocalMariaDb.java), which start their own
# private mariadbd on a loopback port. Installs Debian's mariadb-server only when mariadbd is
# missing, and never starts or enables the system service: the tests need the binaries only.
# Must run as root (apt-get); machines here are not kept, so the test command calls this every time.
set -euo pipefail

if command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-installed.sh: mariadbd is missing and installing it needs root" >&2
  exit 1
fi

# policy-rc.d exit code 101 = "action forbidden": Debian's maintainer scripts then skip starting
# the mariadb service during installation. Removed again afterwards unless it was there before.
policy=/usr/sbin/policy-rc.d
created_policy=false
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy"
  chmod +x "$policy"
  created_policy=true
fi
cleanup() { if $created_policy; then rm -f "$policy"; fi; }
trap cleanup EXIT

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends mariadb-server mariadb-client >/dev/null

if ! command -v mariadbd >/dev/null 2>&1 && [ ! -x /usr/sbin/mariadbd ]; then
  echo "ensure-installed.sh: mariadb-server installed but no mariadbd found" >&2
  exit 1
fi
