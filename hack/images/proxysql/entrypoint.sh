#!/bin/bash
# Entrypoint of the local ProxySQL image, doing what KubeDB's image does with what the operator's StatefulSet gives
# the container (StatefulSetFactory): the config Secret mounted read-only at /etc/custom-config (key proxysql.cnf),
# an emptyDir at /var/lib/proxysql, and the BACKEND_* / FRONTEND_TLS_ENABLED environment.
#
# ProxySQL reads the file only when the datadir has no proxysql.db yet (a new pod); later changes come through the
# admin interface. Arguments starting with '-' are added to proxysql's own (KubeDB's convention); any other command
# is run instead of proxysql.
set -euo pipefail
config=${PROXYSQL_CONFIG:-/etc/custom-config/proxysql.cnf}
datadir=${PROXYSQL_DATADIR:-/var/lib/proxysql}
log() { printf '%s [proxysql-entrypoint] %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2; }

if [ $# -gt 0 ] && [ "${1:0:1}" != - ]; then
  exec "$@"
fi
if [ ! -r "$config" ]; then
  log "no readable config at $config (the operator mounts its config Secret at /etc/custom-config); uid $(id -u)"
  exit 1
fi
if [ ! -w "$datadir" ]; then
  log "the datadir $datadir is not writable by uid $(id -u)"
  exit 1
fi
# Frontend TLS: ProxySQL reads its server certificate from the datadir under these names.
if [ "${FRONTEND_TLS_ENABLED:-false}" = true ]; then
  for pair in ca.crt:proxysql-ca.pem tls.crt:proxysql-cert.pem tls.key:proxysql-key.pem; do
    cp "/var/lib/frontend/server/${pair%%:*}" "$datadir/${pair#*:}"
  done
  log "frontend TLS: copied the server certificate from /var/lib/frontend/server"
fi
log "starting $(proxysql --version 2>/dev/null | head -n1) with $config, datadir $datadir, uid $(id -u)"
exec proxysql -f --idle-threads -c "$config" -D "$datadir" "$@"
