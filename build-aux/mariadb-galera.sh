#!/usr/bin/env bash
# mariadb-galera.sh: a throwaway 3-node MariaDB Galera cluster for the tests.
#
#   mariadb-galera.sh start DIR          create DIR/node1..3, boot the cluster
#                                        (node 1 bootstraps it, 2 and 3 join by
#                                        rsync state transfer), create the test
#                                        user and databases, write DIR/env
#   mariadb-galera.sh stop DIR           clean shutdown of every node
#   mariadb-galera.sh stop-node DIR N    clean shutdown of node N (1..3)
#   mariadb-galera.sh start-node DIR N   node N joins the running cluster again
#   mariadb-galera.sh status DIR         exit 0 when every node answers
#
# Everything mariadb-private.sh says holds for each node (no option files,
# data, socket and log in DIR/nodeN, 127.0.0.1 only, free private ports),
# and its functions do the work. Each node also has its own ports for the
# group communication (gmcast.listen_addr), incremental state transfer
# (ist.recv_addr) and full state transfer (wsrep_sst_receive_address).
#
# DIR/env holds `export` lines for the tests:
#   TT_TEST_GALERA_URI       mysql://tt@127.0.0.1:P1,127.0.0.1:P2,127.0.0.1:P3
#                            (no database part)
#   TT_TEST_GALERA_URI_1..3  mysql://tt@127.0.0.1:PN, one node each
#   TT_TEST_GALERA_PASSWORD  the password of user tt
#   TT_TEST_GALERA_STOP_1..3, TT_TEST_GALERA_START_1..3
#                            complete commands ("... stop-node DIR N", ...)
#
# SPDX-License-Identifier: GPL-3.0-or-later

set -euo pipefail

galera_self=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")
# shellcheck source=build-aux/mariadb-private.sh
. "$(dirname "$galera_self")/mariadb-private.sh"

nodes=(1 2 3)
galera_provider=/usr/lib/galera/libgalera_smm.so

galera_usage ()
{
  echo "usage: $0 {start DIR|stop DIR|stop-node DIR N|start-node DIR N|status DIR}" >&2
  exit 2
}

# N distinct free ports from 23600 upwards, one a line (below the
# kernel's ports for outgoing connections: see mariadb-private.sh).
pick_ports ()
{
  local count=$1 port=23599 i
  for ((i = 0; i < count; i++)); do
    port=$(pick_port $((port + 1)))
    echo "$port"
  done
}

# The port kind ("sql", "gmcast", "ist" or "sst") of node N, as start chose it.
node_port ()
{
  local dir=$1 node=$2 kind=$3
  sed -n "s/^$kind$node=//p" "$dir/ports"
}

cluster_address ()
{
  local dir=$1 node list=""
  for node in "${nodes[@]}"; do
    list+="${list:+,}127.0.0.1:$(node_port "$dir" "$node" gmcast)"
  done
  echo "gcomm://$list"
}

# rsync's daemon, which receives a state transfer, drops root for
# "nobody" (the SST script's rsyncd.conf names no uid), and then may not
# write the data folder: as root, each node runs as the mysql user.
server_user=mysql
give_to_server_user ()
{
  local ndir=$1
  if [ "$(id -u)" -eq 0 ]; then
    chown -R "$server_user:" "$ndir"
    if command -v runuser >/dev/null 2>&1 &&
       ! runuser -u "$server_user" -- test -w "$ndir"; then
      die "user $server_user cannot reach $ndir: each folder above it needs search (x) permission for others"
    fi
  fi
}

# Starts node N and waits until it answers (after its state transfer);
# extra arguments go to mariadbd (--wsrep-new-cluster for the first).
launch_node ()
{
  local dir=$1 node=$2
  local ndir="$dir/node$node"
  shift 2
  give_to_server_user "$ndir"
  [ -x "$galera_provider" ] || [ -f "$galera_provider" ] ||
    die "$galera_provider not found (install galera-4)"
  launch "$ndir" "$(node_port "$dir" "$node" sql)" \
    --wsrep-on=ON \
    --wsrep-provider="$galera_provider" \
    --wsrep-cluster-name=tt-test \
    --wsrep-cluster-address="$(cluster_address "$dir")" \
    --wsrep-node-name="node$node" \
    --wsrep-node-address=127.0.0.1 \
    --wsrep-provider-options="gmcast.listen_addr=tcp://127.0.0.1:$(node_port "$dir" "$node" gmcast);ist.recv_addr=127.0.0.1:$(node_port "$dir" "$node" ist);gcache.size=64M" \
    --wsrep-sst-method=rsync \
    --wsrep-sst-receive-address="127.0.0.1:$(node_port "$dir" "$node" sst)" \
    --binlog-format=ROW \
    --default-storage-engine=InnoDB \
    --innodb-autoinc-lock-mode=2 \
    "$@"
  wait_synced "$ndir"
}

# A node answers before it has caught up with the cluster (and refuses
# queries until then: "WSREP has not yet prepared node for application
# use"): wait until it says it is synced.
wait_synced ()
{
  local ndir=$1 waited=0
  until [ "$(echo "SHOW STATUS LIKE 'wsrep_local_state_comment'" |
             admin_sql "$ndir" 2>/dev/null | sed -n 's/^wsrep_local_state_comment\t//p')" = Synced ]; do
    if [ "$waited" -ge $((ready_timeout * 10)) ]; then
      log_tail "$ndir"
      die "$ndir did not catch up with the cluster within ${ready_timeout}s"
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
}

write_galera_env ()
{
  local dir=$1 password=$2 node hosts="" port
  {
    echo "# Written by $galera_self"
    for node in "${nodes[@]}"; do
      port=$(node_port "$dir" "$node" sql)
      hosts+="${hosts:+,}127.0.0.1:$port"
      echo "export TT_TEST_GALERA_URI_$node=$(shell_quote "mysql://$test_user@127.0.0.1:$port")"
      echo "export TT_TEST_GALERA_STOP_$node=$(shell_quote "$galera_self stop-node $dir $node")"
      echo "export TT_TEST_GALERA_START_$node=$(shell_quote "$galera_self start-node $dir $node")"
    done
    echo "export TT_TEST_GALERA_URI=$(shell_quote "mysql://$test_user@$hosts")"
    echo "export TT_TEST_GALERA_PASSWORD=$(shell_quote "$password")"
  } > "$dir/env.tmp"
  chmod 600 "$dir/env.tmp"
  mv "$dir/env.tmp" "$dir/env"
}

stop_all ()
{
  local dir=$1 node
  for node in 3 2 1; do
    cmd_stop "$dir/node$node"
  done
}

cmd_galera_start ()
{
  local dir=$1 node password ports=() i=0 kind

  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  [ ! -e "$dir/ports" ] || die "$dir holds a cluster already; use start-node or remove it"
  mapfile -t ports < <(pick_ports $((4 * ${#nodes[@]})))
  for node in "${nodes[@]}"; do
    for kind in sql gmcast ist sst; do
      echo "$kind$node=${ports[i]}"
      i=$((i + 1))
    done
  done > "$dir/ports"

  # A node that does not come up leaves none running.
  trap 'stop_all "$dir"' EXIT
  # Only the first node needs a data folder: the others receive its copy.
  for node in "${nodes[@]}"; do
    mkdir -p "$dir/node$node/tmp"
  done
  install_datadir "$dir/node1"
  launch_node "$dir" 1 --wsrep-new-cluster
  for node in "${nodes[@]:1}"; do
    mkdir -p "$dir/node$node/data"
    launch_node "$dir" "$node"
  done

  # Accounts and databases replicate to every node.
  password=$(random_password)
  setup_accounts "$dir/node1" "$password"
  write_galera_env "$dir" "$password"
  trap - EXIT
  echo "mariadb-galera: ${#nodes[@]} nodes running, env in $dir/env" >&2
}

check_node ()
{
  local node=$1
  case "$node" in
    1|2|3) ;;
    *) galera_usage ;;
  esac
}

[ $# -ge 2 ] || galera_usage
command=$1
dir=$2

case "$command" in
  start)
    [ $# -eq 2 ] || galera_usage
    cmd_galera_start "$dir"
    ;;
  stop)
    stop_all "$dir"
    ;;
  stop-node)
    [ $# -eq 3 ] || galera_usage
    check_node "$3"
    cmd_stop "$dir/node$3"
    ;;
  start-node)
    [ $# -eq 3 ] || galera_usage
    check_node "$3"
    dir=$(cd "$dir" && pwd)
    launch_node "$dir" "$3"
    ;;
  status)
    for node in "${nodes[@]}"; do
      admin_ping "$dir/node$node"
    done
    ;;
  *)
    galera_usage
    ;;
esac
