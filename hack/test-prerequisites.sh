#!/usr/bin/env bash
# Installs, once, the Debian packages the tests need. Idempotent: a no-op when everything is present.
set -euo pipefail
need=()
command -v g++ >/dev/null 2>&1 || need+=(g++)
[ -f /usr/include/libconfig.h++ ] || need+=(libconfig++-dev)
command -v mariadbd >/dev/null 2>&1 || need+=(mariadb-server)
# The 3-node Galera cluster of the Galera ITs (testing/galera/LocalGalera): the wsrep provider, and rsync for the
# joiners' state transfer (wsrep_sst_rsync, part of mariadb-server, also needs ss from iproute2).
[ -f /usr/lib/galera/libgalera_smm.so ] || need+=(galera-4)
command -v rsync >/dev/null 2>&1 || need+=(rsync)
command -v ss >/dev/null 2>&1 || need+=(iproute2)
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
