#!/usr/bin/env bash
# mariadb-private.sh: a throwaway MariaDB server for the tests.
#
#   mariadb-private.sh start DIR [PORT] [--tls]
#                                         create DIR/data, start, create the
#                                         test user and databases, write DIR/env
#   mariadb-private.sh stop DIR           clean shutdown, waits for the exit
#   mariadb-private.sh start-again DIR    start a stopped server (same data/port)
#   mariadb-private.sh restart DIR        stop, then start again
#   mariadb-private.sh status DIR         exit 0 when the server answers
#
# Nothing is shared with a system server: no option files are read
# (--no-defaults), the data, socket, pid file and log live in DIR, and the
# server listens on 127.0.0.1:PORT only (but see --tls). Without PORT a free port from
# 23306 upwards is used: below the kernel's range of ports for outgoing
# connections (32768-60999 by default), so that while a test has stopped
# a server to start it again, no client connection can be given its port.
#
# DIR/env holds `export` lines for the tests:
#   TT_TEST_MYSQL_URI       mysql://tt@127.0.0.1:PORT (no database part)
#   TT_TEST_MYSQL_HOST, TT_TEST_MYSQL_PORT, TT_TEST_MYSQL_USER
#   TT_TEST_MYSQL_PASSWORD  random, letters and digits only
#   TT_TEST_MYSQL_NOTRIGGER_USER  tt_notrigger: same password, every privilege
#                           a catalogue needs but TRIGGER (the change
#                           journal's fallback)
#   TT_TEST_MYSQL_SOCKET    DIR/mysqld.sock (user tt works there too)
#   TT_TEST_MYSQL_DIR       DIR
#   TT_TEST_MYSQL_CTL       this script's absolute path: "$CTL stop $DIR"
#   TT_TEST_MYSQL_STOP, TT_TEST_MYSQL_START, TT_TEST_MYSQL_RESTART
#                           complete commands ("... stop DIR", ...)
#
# --tls makes a server that accepts only encrypted connections over TCP
# (require_secure_transport=ON), with a certificate from a private CA made
# here with openssl. It listens on every address, not only 127.0.0.1: the
# TLS test reaches it from a network namespace of its own over a veth pair
# whose host side, $tls_host_address, the test adds later (the
# certificate names it, and 127.0.0.1). Its accounts may log in from
# there too; nothing reaches it without TLS and the random password.
# Instead of the TT_TEST_MYSQL_* lines, DIR/env then holds:
#   TT_TEST_TLS_URI, TT_TEST_TLS_PORT, TT_TEST_TLS_USER, TT_TEST_TLS_PASSWORD
#                           as above
#   TT_TEST_TLS_CA          DIR/tls/ca.pem, the CA that signed the server's
#   TT_TEST_TLS_OTHER_CA    DIR/tls/other-ca.pem, a CA that signed nothing
#   TT_TEST_TLS_HOST_ADDRESS, TT_TEST_TLS_PEER_ADDRESS
#                           the veth pair's two ends, a /30: the server's
#                           side and the namespace's
#   TT_TEST_TLS_DIR, TT_TEST_TLS_STOP
#
# SPDX-License-Identifier: GPL-3.0-or-later

set -euo pipefail

self=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")

databases=(tt_store tt_store_schema tt_store_probe tt_cli tt_bench tt_controller tt_node tt_window tt_prefs tt_tls)
test_user=tt
tls_host_address=10.231.0.1
tls_peer_address=10.231.0.2
notrigger_user=tt_notrigger
ready_timeout=60
# Whom mariadbd runs as when started by root (mariadb-galera.sh changes it).
server_user=root
stop_timeout=60

die ()
{
  echo "mariadb-private: $*" >&2
  exit 1
}

usage ()
{
  echo "usage: $0 {start DIR [PORT] [--tls]|stop DIR|start-again DIR|restart DIR|status DIR}" >&2
  exit 2
}

find_tool ()
{
  local name
  for name in "$@"; do
    if command -v "$name" >/dev/null 2>&1; then
      command -v "$name"
      return 0
    fi
    if [ -x "/usr/sbin/$name" ]; then
      echo "/usr/sbin/$name"
      return 0
    fi
  done
  die "none of $* found (install mariadb-server and mariadb-client)"
}

# The administrative account mariadb-install-db creates: unix_socket
# authentication for the operating-system user running it.
admin_user ()
{
  id -un
}

port_in_use ()
{
  local port=$1
  # Any socket on it, not only a listener: a connection's own port blocks
  # the bind as well.
  if command -v ss >/dev/null 2>&1; then
    ss -Htan "sport = :$port" 2>/dev/null | grep -q . && return 0
  fi
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
}

# The first free port from $1 (23306 when not given) up to 23999.
pick_port ()
{
  local port
  for port in $(seq "${1:-23306}" 23999); do
    if ! port_in_use "$port"; then
      echo "$port"
      return 0
    fi
  done
  die "no free port between ${1:-23306} and 23999"
}

read_pid ()
{
  local dir=$1
  [ -s "$dir/mysqld.pid" ] && cat "$dir/mysqld.pid"
}

# True while PID runs. A zombie (nobody reaped it yet) counts as gone.
pid_alive ()
{
  local pid=$1 state
  [ -n "$pid" ] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  state=$(sed -n 's/^[0-9]* (.*) \([A-Z]\).*/\1/p' "/proc/$pid/stat" 2>/dev/null || true)
  [ "$state" != Z ]
}

log_tail ()
{
  local dir=$1
  echo "mariadb-private: last lines of $dir/error.log:" >&2
  tail -n 30 "$dir/error.log" >&2 2>/dev/null || true
  if [ -s "$dir/mariadbd.out" ]; then
    tail -n 10 "$dir/mariadbd.out" >&2 || true
  fi
}

# --skip-ssl in the clients too: those of MariaDB 11.4 and later ask for
# TLS by default and refuse a server without it, even on a socket.
admin_ping ()
{
  local dir=$1
  "$(find_tool mariadb-admin mysqladmin)" --no-defaults --skip-ssl \
    --socket="$dir/mysqld.sock" --user="$(admin_user)" \
    --connect-timeout=2 ping >/dev/null 2>&1
}

admin_sql ()
{
  local dir=$1
  "$(find_tool mariadb mysql)" --no-defaults --skip-ssl \
    --socket="$dir/mysqld.sock" --user="$(admin_user)" --batch
}

# A CA, a server certificate it signed for 127.0.0.1 and the veth
# address, and a second CA that signed nothing (the "wrong CA" of the
# tests), all in DIR/tls. Valid for 30 days: the server lives for one run.
make_certificates ()
{
  local dir=$1 tls=$1/tls
  local key=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
  local ca_ext=(-addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign")

  command -v openssl >/dev/null 2>&1 || die "openssl is missing (install openssl)"
  mkdir -p "$tls"
  openssl req -x509 "${key[@]}" -days 30 -subj "/CN=Tutorial Tags test CA" "${ca_ext[@]}" \
    -keyout "$tls/ca-key.pem" -out "$tls/ca.pem" 2>>"$tls/openssl.log"
  openssl req -x509 "${key[@]}" -days 30 -subj "/CN=Tutorial Tags unrelated CA" "${ca_ext[@]}" \
    -keyout "$tls/other-ca-key.pem" -out "$tls/other-ca.pem" 2>>"$tls/openssl.log"
  openssl req "${key[@]}" -subj "/CN=127.0.0.1" \
    -keyout "$tls/server-key.pem" -out "$tls/server.csr" 2>>"$tls/openssl.log"
  printf '%s\n' "basicConstraints=CA:FALSE" "extendedKeyUsage=serverAuth" \
    "subjectAltName=IP:127.0.0.1,IP:$tls_host_address,DNS:localhost" > "$tls/server.ext"
  openssl x509 -req -in "$tls/server.csr" -CA "$tls/ca.pem" -CAkey "$tls/ca-key.pem" \
    -CAcreateserial -days 30 -extfile "$tls/server.ext" -out "$tls/server-cert.pem" \
    2>>"$tls/openssl.log" || die "openssl could not sign the server certificate (see $tls/openssl.log)"
}

# mariadbd's options for where it listens and whether it encrypts:
# DIR/tls holds certificates only for a server started with --tls.
network_args ()
{
  local dir=$1
  if [ -d "$dir/tls" ]; then
    echo "--bind-address=0.0.0.0 --require-secure-transport=ON --ssl-ca=$dir/tls/ca.pem" \
         "--ssl-cert=$dir/tls/server-cert.pem --ssl-key=$dir/tls/server-key.pem"
  else
    # --skip-ssl: a server without TLS, as the tests expect, on every
    # version (MariaDB 11.4 and later make themselves a certificate and
    # offer TLS unless told not to).
    echo "--bind-address=127.0.0.1 --skip-ssl"
  fi
}

# Starts mariadbd on the data in DIR and waits until it answers; any
# further arguments go to mariadbd (the Galera script's wsrep options).
launch ()
{
  local dir=$1 port=$2 mariadbd pid waited=0
  local user_args=() net_args=()
  shift 2

  mariadbd=$(find_tool mariadbd mysqld) || exit 1
  if [ "$(id -u)" -eq 0 ]; then
    user_args=(--user="$server_user")
  fi

  if pid_alive "$(read_pid "$dir" || true)"; then
    die "a server already runs on $dir (pid $(read_pid "$dir"))"
  fi
  rm -f "$dir/mysqld.pid" "$dir/mysqld.sock" "$dir/mysqld.sock.lock"
  read -r -a net_args <<< "$(network_args "$dir")"

  # setsid: a Ctrl+C in the terminal reaches the test script, whose trap
  # shuts the server down cleanly, not the server itself.
  setsid "$mariadbd" --no-defaults \
    "${user_args[@]}" \
    --datadir="$dir/data" \
    --socket="$dir/mysqld.sock" \
    --port="$port" \
    "${net_args[@]}" \
    --pid-file="$dir/mysqld.pid" \
    --log-error="$dir/error.log" \
    --tmpdir="$dir/tmp" \
    --skip-name-resolve \
    --innodb-flush-log-at-trx-commit=1 \
    --character-set-server=utf8mb4 \
    --max-connections=500 \
    "$@" \
    </dev/null >>"$dir/mariadbd.out" 2>&1 &
  pid=$!

  until admin_ping "$dir"; do
    if ! pid_alive "$pid"; then
      log_tail "$dir"
      die "mariadbd exited while starting (port $port)"
    fi
    if [ "$waited" -ge $((ready_timeout * 10)) ]; then
      log_tail "$dir"
      kill -TERM "$pid" 2>/dev/null || true
      die "mariadbd did not answer within ${ready_timeout}s"
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  echo "$port" > "$dir/port"
}

random_password ()
{
  local pw=""
  while [ ${#pw} -lt 24 ]; do
    pw+=$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
  done
  echo "${pw:0:24}"
}

shell_quote ()
{
  printf '%q' "$1"
}

env_lines ()
{
  local dir=$1 port=$2 password=$3
  echo "export TT_TEST_MYSQL_URI=$(shell_quote "mysql://$test_user@127.0.0.1:$port")"
  echo "export TT_TEST_MYSQL_HOST=127.0.0.1"
  echo "export TT_TEST_MYSQL_PORT=$port"
  echo "export TT_TEST_MYSQL_USER=$test_user"
  echo "export TT_TEST_MYSQL_NOTRIGGER_USER=$notrigger_user"
  echo "export TT_TEST_MYSQL_PASSWORD=$(shell_quote "$password")"
  echo "export TT_TEST_MYSQL_SOCKET=$(shell_quote "$dir/mysqld.sock")"
  echo "export TT_TEST_MYSQL_DIR=$(shell_quote "$dir")"
  echo "export TT_TEST_MYSQL_CTL=$(shell_quote "$self")"
  echo "export TT_TEST_MYSQL_STOP=$(shell_quote "$self stop $dir")"
  echo "export TT_TEST_MYSQL_START=$(shell_quote "$self start-again $dir")"
  echo "export TT_TEST_MYSQL_RESTART=$(shell_quote "$self restart $dir")"
}

tls_env_lines ()
{
  local dir=$1 port=$2 password=$3
  echo "export TT_TEST_TLS_URI=$(shell_quote "mysql://$test_user@127.0.0.1:$port")"
  echo "export TT_TEST_TLS_PORT=$port"
  echo "export TT_TEST_TLS_USER=$test_user"
  echo "export TT_TEST_TLS_PASSWORD=$(shell_quote "$password")"
  echo "export TT_TEST_TLS_CA=$(shell_quote "$dir/tls/ca.pem")"
  echo "export TT_TEST_TLS_OTHER_CA=$(shell_quote "$dir/tls/other-ca.pem")"
  echo "export TT_TEST_TLS_HOST_ADDRESS=$tls_host_address"
  echo "export TT_TEST_TLS_PEER_ADDRESS=$tls_peer_address"
  echo "export TT_TEST_TLS_DIR=$(shell_quote "$dir")"
  echo "export TT_TEST_TLS_STOP=$(shell_quote "$self stop $dir")"
}

# DIR/env, readable by us only (it holds the password): the TT_TEST_TLS_*
# lines for a server started with --tls, else the TT_TEST_MYSQL_* ones.
write_env ()
{
  local dir=$1 port=$2 password=$3 lines=env_lines
  if [ -d "$dir/tls" ]; then
    lines=tls_env_lines
  fi
  {
    echo "# Written by $self"
    "$lines" "$dir" "$port" "$password"
  } > "$dir/env.tmp"
  chmod 600 "$dir/env.tmp"
  mv "$dir/env.tmp" "$dir/env"
}

setup_accounts ()
{
  local dir=$1 password=$2 db host hosts=(127.0.0.1 localhost)
  if [ -d "$dir/tls" ]; then
    hosts+=("$tls_peer_address")
  fi
  {
    for host in "${hosts[@]}"; do
      echo "CREATE USER IF NOT EXISTS '$test_user'@'$host' IDENTIFIED BY '$password';"
      echo "GRANT ALL PRIVILEGES ON *.* TO '$test_user'@'$host';"
      echo "CREATE USER IF NOT EXISTS '$notrigger_user'@'$host' IDENTIFIED BY '$password';"
      echo "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, INDEX, ALTER, REFERENCES,"
      echo " CREATE TEMPORARY TABLES, LOCK TABLES ON *.* TO '$notrigger_user'@'$host';"
    done
    for db in "${databases[@]}"; do
      echo "CREATE DATABASE IF NOT EXISTS \`$db\` CHARACTER SET utf8mb4;"
    done
    echo "FLUSH PRIVILEGES;"
  } | admin_sql "$dir"
}

# A fresh data folder in DIR/data, DIR/tmp for the server's files; DIR
# must be an absolute path.
install_datadir ()
{
  local dir=$1 install_db
  local user_args=()

  [ ! -e "$dir/data" ] || die "$dir/data exists; use start-again or remove it"
  # sun_path holds 108 bytes.
  [ ${#dir} -le 90 ] || die "$dir is too long for a Unix socket path"
  mkdir -p "$dir/tmp"
  install_db=$(find_tool mariadb-install-db mysql_install_db) || exit 1
  if [ "$(id -u)" -eq 0 ]; then
    user_args=(--user=root)
  fi
  if ! "$install_db" --no-defaults "${user_args[@]}" \
         --auth-root-socket-user="$(admin_user)" \
         --datadir="$dir/data" --skip-test-db \
         >"$dir/install-db.log" 2>&1; then
    cat "$dir/install-db.log" >&2
    die "mariadb-install-db failed"
  fi
}

cmd_start ()
{
  local dir=$1 port=${2:-} tls=${3:-} password auto_port=0 attempt

  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)

  install_datadir "$dir"
  if [ -n "$tls" ]; then
    make_certificates "$dir"
  fi

  if [ -z "$port" ]; then
    auto_port=1
    port=$(pick_port)
  fi
  # Another process may take the port between the check and the bind.
  for attempt in 1 2 3 4 5; do
    if ( launch "$dir" "$port" ); then
      break
    fi
    if [ "$auto_port" -eq 0 ] || ! grep -qi "address already in use\|bind on tcp/ip port" "$dir/error.log"; then
      die "could not start the server"
    fi
    [ "$attempt" -lt 5 ] || die "could not find a free port"
    port=$((port + 1 + RANDOM % 50))
    while port_in_use "$port"; do port=$((port + 1)); done
  done

  password=$(random_password)
  setup_accounts "$dir" "$password"
  write_env "$dir" "$port" "$password"
  echo "mariadb-private: running on 127.0.0.1:$port${tls:+ (TLS only)}, socket $dir/mysqld.sock; env in $dir/env" >&2
}

cmd_stop ()
{
  local dir=$1 pid waited=0
  pid=$(read_pid "$dir" || true)
  if ! pid_alive "$pid"; then
    return 0
  fi
  # SIGTERM is mariadbd's normal shutdown: it flushes and exits cleanly.
  kill -TERM "$pid" 2>/dev/null || true
  while pid_alive "$pid"; do
    if [ "$waited" -ge $((stop_timeout * 10)) ]; then
      echo "mariadb-private: mariadbd $pid did not stop in ${stop_timeout}s, killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  rm -f "$dir/mysqld.pid"
}

cmd_start_again ()
{
  local dir=$1
  if [ ! -d "$dir/data" ] || [ ! -s "$dir/port" ]; then
    die "no server was created in $dir"
  fi
  dir=$(cd "$dir" && pwd)
  launch "$dir" "$(cat "$dir/port")"
}

# Sourced (by mariadb-galera.sh) for the functions above: nothing runs.
if [ "${BASH_SOURCE[0]}" != "$0" ]; then
  return 0
fi

[ $# -ge 2 ] || usage
command=$1
dir=$2

case "$command" in
  start)
    tls=""
    if [ "${*: -1}" = --tls ]; then
      tls=1
      set -- "${@:1:$#-1}"
    fi
    [ $# -le 3 ] || usage
    cmd_start "$dir" "${3:-}" "$tls"
    ;;
  stop)
    cmd_stop "$dir"
    ;;
  start-again)
    cmd_start_again "$dir"
    ;;
  restart)
    cmd_stop "$dir"
    cmd_start_again "$dir"
    ;;
  status)
    admin_ping "$dir"
    ;;
  *)
    usage
    ;;
esac
