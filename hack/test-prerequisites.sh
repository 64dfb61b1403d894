#!/usr/bin/env bash
# Installs, once, the Debian packages the tests need. Idempotent: a no-op when everything is present.
set -euo pipefail
need=()
command -v g++ >/dev/null 2>&1 || need+=(g++)
[ -f /usr/include/libconfig.h++ ] || need+=(libconfig++-dev)
command -v mariadbd >/dev/null 2>&1 || need+=(mariadb-server)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
echo "installing: ${need[*]}" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# Do not start MariaDB as a system service: the tests start private servers on loopback.
$SUDO env RUNLEVEL=1 apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
