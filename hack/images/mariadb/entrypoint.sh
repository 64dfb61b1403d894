#!/bin/bash
# Entrypoint of the local MariaDB image. On an empty datadir: creates the system tables and sets the root password
# from MARIADB_ROOT_PASSWORD (or MYSQL_ROOT_PASSWORD) for root@localhost and root@'%'; optionally creates
# MARIADB_DATABASE and MARIADB_USER/MARIADB_PASSWORD (MYSQL_* accepted too). The SQL runs in mariadbd's bootstrap mode,
# before any network listener exists, so there is nothing to wait for. Then runs mariadbd in the foreground on port
# 3306 of every interface of the pod. Arguments starting with '-' are added to mariadbd's; any other command is run
# instead.
set -euo pipefail
datadir=${MARIADB_DATADIR:-/var/lib/mysql}
log() { printf '%s [mariadb-entrypoint] %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2; }

if [ $# -gt 0 ] && [ "${1:0:1}" != - ]; then
  exec "$@"
fi
user_args=()
if [ "$(id -u)" -eq 0 ]; then
  # Run as root (a pod without runAsUser): the server itself switches to mysql.
  user_args=(--user=mysql)
  install -d -o mysql -g mysql "$datadir" /run/mysqld
fi
# SQL string literal (single quotes and backslashes escaped).
sql_quote() { local s=${1//\\/\\\\}; printf "'%s'" "${s//\'/\\\'}"; }

if [ ! -d "$datadir/mysql" ]; then
  root_password=${MARIADB_ROOT_PASSWORD:-${MYSQL_ROOT_PASSWORD:-}}
  if [ -z "$root_password" ]; then
    log "the datadir $datadir is empty and neither MARIADB_ROOT_PASSWORD nor MYSQL_ROOT_PASSWORD is set"
    exit 1
  fi
  database=${MARIADB_DATABASE:-${MYSQL_DATABASE:-}}
  user=${MARIADB_USER:-${MYSQL_USER:-}}
  password=${MARIADB_PASSWORD:-${MYSQL_PASSWORD:-}}
  log "initialising an empty datadir $datadir (uid $(id -u))"
  # --force: a container may have no /etc/hosts (the kubelet gives a pod one, runc alone does not); with
  # --skip-name-resolve the grant tables use no host names anyway.
  mariadb-install-db --datadir="$datadir" "${user_args[@]}" --auth-root-authentication-method=normal \
    --skip-test-db --skip-name-resolve --force >"$datadir/install-db.log" 2>&1 \
    || { log "mariadb-install-db failed:"; cat "$datadir/install-db.log" >&2; exit 1; }
  pw=$(sql_quote "$root_password")
  {
    # mariadb-install-db also creates root@<hostname>, root@127.0.0.1 and root@::1 without a password; they would
    # take precedence over root@'%' for connections from loopback. Only root@localhost and root@'%' stay.
    echo "DELETE FROM mysql.global_priv WHERE User IN ('root', '') AND Host NOT IN ('localhost', '%');"
    echo "FLUSH PRIVILEGES;"
    echo "ALTER USER 'root'@'localhost' IDENTIFIED BY $pw;"
    echo "CREATE USER 'root'@'%' IDENTIFIED BY $pw;"
    echo "GRANT ALL PRIVILEGES ON *.* TO 'root'@'%' WITH GRANT OPTION;"
    if [ -n "$database" ]; then
      echo "CREATE DATABASE IF NOT EXISTS \`${database//\`/\`\`}\`;"
    fi
    if [ -n "$user" ] && [ -n "$password" ]; then
      echo "CREATE USER $(sql_quote "$user")@'%' IDENTIFIED BY $(sql_quote "$password");"
      if [ -n "$database" ]; then
        echo "GRANT ALL PRIVILEGES ON \`${database//\`/\`\`}\`.* TO $(sql_quote "$user")@'%';"
      fi
    fi
  } | mariadbd --bootstrap --datadir="$datadir" "${user_args[@]}" --skip-networking --log-error="$datadir/bootstrap.err" \
    || { log "setting up the accounts failed:"; cat "$datadir/bootstrap.err" >&2; exit 1; }
  log "datadir initialised; root can log in from anywhere with the given password"
fi
log "starting mariadbd on port 3306 of every interface"
exec mariadbd --datadir="$datadir" "${user_args[@]}" --port=3306 --bind-address='*' --skip-name-resolve \
  --socket=/run/mysqld/mysqld.sock "$@"
