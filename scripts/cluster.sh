#!/usr/bin/env bash
# A high-availability Kezek on this one machine (NOT part of scripts/test.sh;
# docs/HA.md explains the choices):
#
#   etcd (127.0.0.1:2379)            the consensus store Patroni keeps its leader key in
#   Patroni pg1 (PostgreSQL :5441, REST :8008)  ┐ one primary, one synchronous
#   Patroni pg2 (PostgreSQL :5442, REST :8009)  ┘ standby; automatic failover
#   HAProxy :5440  → whichever node answers GET /primary on its REST port
#   kezek app1 :8101, app2 :8102 → :5440 (release build, --dev demo data)
#   HAProxy :8100  → app1/app2 by GET /healthz (stats page: http://127.0.0.1:7000/)
#
# Usage: scripts/cluster.sh up|down [--wipe]|status
#        scripts/cluster.sh kill-primary|kill-app N|kill-pooler N|stop-apps (chaos.sh uses these)
#   KEZEK_CLUSTER_POOLER=1  a PgBouncer per app node (:6431, :6432, session
#                           mode) between it and :5440; off by default — with
#                           Debian's PgBouncer 1.18 transaction mode cannot
#                           carry sqlx's prepared statements (docs/HA.md)
#   KEZEK_CLUSTER_APPS=0    start the database tier only
# Installs patroni, etcd-server, haproxy and pgbouncer from Debian if missing.
# Everything lives in $KEZEK_CACHE/cluster; `down` stops it and keeps the
# data, `down --wipe` removes it.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$KEZEK_ROOT"

dir="$KEZEK_CACHE/cluster"
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
pooler="${KEZEK_CLUSTER_POOLER:-0}"
apps="${KEZEK_CLUSTER_APPS:-1}"
db_name=kezek
kezek_bin="$CARGO_TARGET_DIR/release/kezek"

run_pg() { setpriv --reuid=postgres --regid=postgres --init-groups --reset-env -- env PATH="$PATH" HOME="$dir" "$@"; }
pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
wait_for() { # wait_for SECONDS DESCRIPTION COMMAND...
  local secs=$1 what=$2; shift 2
  for _ in $(seq $((secs * 5))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  log "timed out after ${secs} s waiting for $what"; return 1
}
start_bg() { # start_bg NAME COMMAND... (as the current user; pid in $dir/NAME.pid)
  local name=$1; shift
  pid_alive "$dir/$name.pid" && return 0
  setsid "$@" >>"$dir/$name.log" 2>&1 < /dev/null &
  echo $! > "$dir/$name.pid"
}
start_pg_bg() { # as start_bg, but as the postgres user
  local name=$1; shift
  pid_alive "$dir/$name.pid" && return 0
  setsid setpriv --reuid=postgres --regid=postgres --init-groups -- env HOME="$dir" PATH="$PATH" "$@" \
    >>"$dir/$name.log" 2>&1 < /dev/null &
  echo $! > "$dir/$name.pid"
}

install() {
  local missing=()
  command -v patroni >/dev/null || missing+=(patroni)
  command -v etcd >/dev/null || missing+=(etcd-server)
  command -v haproxy >/dev/null || missing+=(haproxy)
  command -v pgbouncer >/dev/null || missing+=(pgbouncer)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing from Debian: ${missing[*]}"
    apt_install "${missing[@]}"
  fi
  # The Debian packages start nothing here: every process below is ours.
  [ -n "$pg_bin" ] || { log "no PostgreSQL server binaries under /usr/lib/postgresql"; exit 1; }
}

patroni_yml() { # patroni_yml NAME PG_PORT REST_PORT
  cat <<YML
scope: kezek
namespace: /kezek/
name: $1
log: {level: WARNING}
restapi:
  listen: 127.0.0.1:$3
  connect_address: 127.0.0.1:$3
etcd3:
  hosts: 127.0.0.1:2379
bootstrap:
  dcs:
    # A leader that stops renewing its key for ttl seconds is replaced.
    # Patroni's floor is ttl 20; loop_wait + 2 * retry_timeout < ttl.
    ttl: 20
    loop_wait: 2
    retry_timeout: 5
    maximum_lag_on_failover: 1048576
    # Commits wait for the named synchronous standby; Patroni promotes
    # only a node that was synchronous, so no acknowledged commit is lost.
    synchronous_mode: true
    postgresql:
      use_pg_rewind: true
      use_slots: true
      parameters:
        synchronous_commit: "on"
        wal_level: replica
        hot_standby: "on"
        wal_log_hints: "on"
        max_connections: 300
        max_wal_senders: 10
        max_replication_slots: 10
        wal_keep_size: 256MB
  initdb:
    - encoding: UTF8
    - locale: C.UTF-8
    - data-checksums
postgresql:
  listen: 127.0.0.1:$2
  connect_address: 127.0.0.1:$2
  data_dir: $dir/$1
  bin_dir: $pg_bin
  pgpass: $dir/pgpass-$1
  # Local demo: loopback only, trust. Production: scram-sha-256 (docs/DEPLOYMENT.md).
  pg_hba:
    - local all all trust
    - host replication replicator 127.0.0.1/32 trust
    - host all all 127.0.0.1/32 trust
  authentication:
    superuser: {username: postgres, password: kezek-local}
    replication: {username: replicator, password: kezek-local}
    rewind: {username: postgres, password: kezek-local}
  parameters:
    unix_socket_directories: $dir
YML
}

haproxy_cfg() {
  cat <<CFG
global
  maxconn 8000
defaults
  timeout connect 2s
  timeout client 30m
  timeout server 30m
  timeout check 2s
listen stats
  mode http
  bind 127.0.0.1:7000
  stats enable
  stats uri /
  stats refresh 2s
# PostgreSQL: only the node whose Patroni says it is the primary. Sessions to
# a node marked down are cut at once, so no client keeps writing to an old
# primary.
listen postgres_primary
  mode tcp
  bind 127.0.0.1:5440
  option httpchk
  http-check send meth GET uri /primary
  http-check expect status 200
  default-server inter 500ms fall 2 rise 2 on-marked-down shutdown-sessions
  server pg1 127.0.0.1:5441 check port 8008
  server pg2 127.0.0.1:5442 check port 8009
# The app nodes: any that says its database answers.
listen kezek
  mode http
  bind 127.0.0.1:8100
  balance roundrobin
  timeout client 60s
  timeout server 60s
  option forwardfor
  option httpchk
  http-check send meth GET uri /healthz
  http-check expect status 200
  # A request that could not reach a node goes to the other one; a request a
  # node received is never re-sent by the balancer (clients retry with their
  # Idempotency-Key).
  retries 2
  option redispatch
  retry-on conn-failure empty-response
  default-server inter 500ms fall 2 rise 1
  # No node healthy (e.g. every node's database is failing over): the API's
  # own 503 answer, so clients see the code unavailable and Retry-After.
  errorfile 503 $dir/503.http
  server app1 127.0.0.1:8101 check
  server app2 127.0.0.1:8102 check
CFG
}

pgbouncer_ini() { # pgbouncer_ini NAME PORT
  cat <<INI
[databases]
* = host=127.0.0.1 port=5440
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $2
unix_socket_dir =
auth_type = trust
auth_file = $dir/pgbouncer-users.txt
pool_mode = session
max_client_conn = 2000
default_pool_size = 40
server_connect_timeout = 2
server_login_retry = 1
query_wait_timeout = 10
server_check_delay = 1
ignore_startup_parameters = extra_float_digits,options
pidfile = $dir/$1.pgb.pid
logfile = $dir/$1.log
INI
}

app_url() { # the DATABASE_URL of app node N
  if [ "$pooler" = 1 ]; then
    echo "postgres://postgres@127.0.0.1:643$1/$db_name"
  else
    echo "postgres://postgres@127.0.0.1:5440/$db_name"
  fi
}

any_primary() { curl -fsS -m 1 http://127.0.0.1:8008/primary || curl -fsS -m 1 http://127.0.0.1:8009/primary; }
one_node_routed() {
  [ "$(curl -fsS -m 1 'http://127.0.0.1:7000/;csv' | awk -F, '$1 == "postgres_primary" && $2 ~ /^pg/ && $18 == "UP"' | wc -l)" = 1 ]
}
primary_answers() { psql -h 127.0.0.1 -p 5440 -U postgres -d postgres -Atqc "SELECT NOT pg_is_in_recovery()" | grep -qx t; }
healthz() { curl -fsS -m 2 "http://127.0.0.1:$1/healthz"; }

up() {
  install
  mkdir -p "$dir"
  chown postgres:postgres "$dir"
  chmod 700 "$dir"

  log "etcd on 127.0.0.1:2379"
  mkdir -p "$dir/etcd"
  start_bg etcd etcd --name kezek-etcd --data-dir "$dir/etcd" \
    --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
    --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
    --initial-cluster kezek-etcd=http://127.0.0.1:2380 --log-level warn
  wait_for 20 etcd curl -fsS -m 1 http://127.0.0.1:2379/health

  log "Patroni pg1 (:5441) and pg2 (:5442), PostgreSQL from $pg_bin"
  patroni_yml pg1 5441 8008 > "$dir/pg1.yml"
  patroni_yml pg2 5442 8009 > "$dir/pg2.yml"
  chown postgres:postgres "$dir"/pg*.yml
  # pg1 first so a new cluster has one leader to copy from; after a
  # failover either may lead and the other rejoins as its standby.
  start_pg_bg patroni-pg1 patroni "$dir/pg1.yml"
  wait_for 90 "a leader" any_primary
  start_pg_bg patroni-pg2 patroni "$dir/pg2.yml"
  wait_for 120 "a synchronous standby" \
    bash -c 'curl -fsS -m 1 http://127.0.0.1:8008/cluster 2>/dev/null | grep -q "\"sync_standby\"" ||
             curl -fsS -m 1 http://127.0.0.1:8009/cluster 2>/dev/null | grep -q "\"sync_standby\""'

  log "HAProxy: PostgreSQL primary on :5440, app nodes on :8100"
  printf 'HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nRetry-After: 5\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n%s\n' \
    '{"error":"unavailable","message":"The service is briefly unavailable. Please retry in a few seconds."}' \
    > "$dir/503.http"
  haproxy_cfg > "$dir/haproxy.cfg.new"
  if pid_alive "$dir/haproxy.pid" && cmp -s "$dir/haproxy.cfg.new" "$dir/haproxy.cfg"; then
    rm "$dir/haproxy.cfg.new"
  else
    mv "$dir/haproxy.cfg.new" "$dir/haproxy.cfg"
    # A (re)started HAProxy counts every server up until its checks say
    # otherwise; nothing may connect through :5440 before they have.
    if pid_alive "$dir/haproxy.pid"; then
      haproxy -D -f "$dir/haproxy.cfg" -p "$dir/haproxy.pid" -sf "$(cat "$dir/haproxy.pid")"
    else
      haproxy -D -f "$dir/haproxy.cfg" -p "$dir/haproxy.pid"
    fi
  fi
  wait_for 20 "HAProxy to route :5440 to exactly one node" one_node_routed
  wait_for 20 "the primary behind :5440" primary_answers
  psql -h 127.0.0.1 -p 5440 -U postgres -d postgres -Atqc \
    "SELECT 1 FROM pg_database WHERE datname = '$db_name'" | grep -q 1 ||
    psql -h 127.0.0.1 -p 5440 -U postgres -d postgres -qc "CREATE DATABASE $db_name"

  if [ "$pooler" = 1 ]; then
    log "PgBouncer (session mode) on :6431 and :6432"
    echo '"postgres" ""' > "$dir/pgbouncer-users.txt"
    chown postgres:postgres "$dir/pgbouncer-users.txt"
    for n in 1 2; do
      pgbouncer_ini "pgb$n" "643$n" > "$dir/pgb$n.ini.new"
      if pid_alive "$dir/pgb$n.pgb.pid" && cmp -s "$dir/pgb$n.ini.new" "$dir/pgb$n.ini"; then
        rm "$dir/pgb$n.ini.new"
        continue
      fi
      stop_pid "$dir/pgb$n.pgb.pid"
      mv "$dir/pgb$n.ini.new" "$dir/pgb$n.ini"
      chown postgres:postgres "$dir/pgb$n.ini"
      run_pg pgbouncer -d "$dir/pgb$n.ini"
    done
    wait_for 20 PgBouncer psql -h 127.0.0.1 -p 6431 -U postgres -d "$db_name" -Atqc "SELECT 1"
  fi

  if [ "$apps" = 1 ]; then
    if ! [ -x "$kezek_bin" ]; then
      log "building the release server (once)"
      cargo build --release -p server
    fi
    [ -d "$SITE_ROOT/pkg" ] || log "no $SITE_ROOT/pkg: the API works, the pages need scripts/build.sh first"
    log "kezek app1 (:8101) and app2 (:8102)"
    # One node seeds and migrates first; the second finds it done.
    for n in 1 2; do
      start_bg "app$n" env RUST_LOG=warn "$kezek_bin" --database-url "$(app_url "$n")" \
        --listen "127.0.0.1:810$n" --dev --seed-demo --admin-password cluster-admin-pw --trusted-proxy 127.0.0.1 \
        --site-root "$SITE_ROOT"
      wait_for 120 "app$n" healthz "810$n"
    done
    wait_for 10 "the app balancer" healthz 8100
  fi
  status
  log "Kezek behind the balancer: http://127.0.0.1:8100 (admin password: cluster-admin-pw)"
}

status() {
  echo "── Patroni (patronictl list)"
  patronictl -c "$dir/pg1.yml" list 2>/dev/null || echo "   Patroni not answering"
  echo "── processes"
  for name in etcd patroni-pg1 patroni-pg2 haproxy pgb1.pgb pgb2.pgb app1 app2; do
    if pid_alive "$dir/$name.pid"; then state="up (pid $(cat "$dir/$name.pid"))"; else state=down; fi
    printf '   %-12s %s\n' "${name%.pgb}" "$state"
  done
  echo "── routes"
  if primary_answers 2>/dev/null; then
    echo "   :5440 → primary on port $(psql -h 127.0.0.1 -p 5440 -U postgres -d postgres -Atqc 'SHOW port')"
  else
    echo "   :5440 → no primary"
  fi
  for p in 8101 8102 8100; do
    printf '   :%s /healthz → %s\n' "$p" "$(healthz "$p" 2>/dev/null || echo unavailable)"
  done
}

stop_pid() { # stop_pid PIDFILE [SIGNAL]
  local f=$1 sig=${2:-TERM}
  if pid_alive "$f"; then
    kill "-$sig" "$(cat "$f")" 2>/dev/null || true
    for _ in $(seq 50); do pid_alive "$f" || break; sleep 0.2; done
    pid_alive "$f" && kill -KILL "$(cat "$f")" 2>/dev/null || true
  fi
  rm -f "$f"
}

down() {
  stop_apps
  for n in 1 2; do stop_pid "$dir/pgb$n.pgb.pid"; done
  stop_pid "$dir/haproxy.pid"
  # Patroni stops its PostgreSQL when it stops.
  stop_pid "$dir/patroni-pg2.pid"
  stop_pid "$dir/patroni-pg1.pid"
  for n in pg1 pg2; do
    [ -f "$dir/$n/postmaster.pid" ] && run_pg "$pg_bin/pg_ctl" -D "$dir/$n" stop -m immediate >/dev/null 2>&1 || true
  done
  stop_pid "$dir/etcd.pid"
  if [ "${1:-}" = --wipe ]; then rm -rf "$dir"; log "cluster stopped and wiped"; else log "cluster stopped (data kept in $dir)"; fi
}

# What scripts/chaos.sh kills: the primary's whole node (Patroni and its
# PostgreSQL, kill -9: a machine that died), an app process, a pooler.
kill_primary() {
  local leader
  if curl -fsS -m 1 http://127.0.0.1:8008/primary >/dev/null 2>&1; then leader=pg1
  elif curl -fsS -m 1 http://127.0.0.1:8009/primary >/dev/null 2>&1; then leader=pg2
  else log "no primary to kill"; return 1; fi
  local postmaster
  postmaster=$(head -1 "$dir/$leader/postmaster.pid" 2>/dev/null || true)
  kill -KILL "$(cat "$dir/patroni-$leader.pid")" ${postmaster:+"$postmaster"}
  log "killed $leader (Patroni and PostgreSQL, kill -9)"
}
stop_apps() { for n in 1 2; do stop_pid "$dir/app$n.pid"; done; }

case "${1:-}" in
  up) up ;;
  kill-primary) kill_primary ;;
  kill-app) kill -KILL "$(cat "$dir/app${2:?which app: 1 or 2}.pid")"; log "killed app$2 (kill -9)" ;;
  kill-pooler) kill -KILL "$(cat "$dir/pgb${2:?which pooler: 1 or 2}.pgb.pid")"; log "killed pgb$2 (kill -9)" ;;
  stop-apps) stop_apps ;;
  down) down "${2:-}" ;;
  status) status ;;
  *) echo "usage: scripts/cluster.sh up|down [--wipe]|status|kill-primary|kill-app N|kill-pooler N|stop-apps" >&2; exit 2 ;;
esac
