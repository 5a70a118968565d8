#!/usr/bin/env bash
# A PostgreSQL server for gateways sharing one read model (DATABASE_URL), from the embedded-postgres npm
# packages' binaries, as a background process with a pid file under the state directory.
#   postgres.sh start | stop | status | url
set -euo pipefail
source "$(cd "$(dirname "$0")" && pwd)/lib/common.sh"

PG_HOME="$DRUGTRACE_HOME/postgres"
DATA_DIR="$PG_HOME/data"
PID_FILE="$PG_HOME/postgres.pid"
LOG_FILE="$DRUGTRACE_HOME/logs/postgres.log"
PORT_FILE="$PG_HOME/port"
PG_PORT="$(node "$REPO_ROOT/test-network-scripts/lib/network-config.js" get database.port)"
# A running server keeps the port it was started on, whatever DRUGTRACE_PORT_OFFSET says now.
if [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null && [ -f "$PORT_FILE" ]; then PG_PORT="$(cat "$PORT_FILE")"; fi
# Password authentication (scram-sha-256): the password is generated at the first start and kept 0600 here.
PG_USER=drugtrace
PASSWORD_FILE="$PG_HOME/password"
START_TIMEOUT_S=30

bin_dir() {
  (cd "$REPO_ROOT/gateway" && node --input-type=module -e \
    "const { postgres } = await import('@embedded-postgres/' + process.platform + '-' + process.arch); console.log(postgres.replace(/\/postgres$/, ''))")
}

# PostgreSQL refuses to run as root. As root it runs in a user namespace where this user is uid 1: its files
# stay root's own (0700), and the server is not root. unshare execs the command: a pid is the server's.
AS_SERVER=()
if [ "$(id -u)" = 0 ]; then AS_SERVER=(unshare -U --map-user=1 --map-group=1); fi

running_pid() {
  [ -f "$PID_FILE" ] || return 1
  local pid
  pid="$(cat "$PID_FILE")"
  kill -0 "$pid" 2>/dev/null && echo "$pid"
}

url() {
  [ -f "$PASSWORD_FILE" ] || die "no PostgreSQL cluster yet: run 'postgres.sh start'"
  echo "postgres://${PG_USER}:$(cat "$PASSWORD_FILE")@127.0.0.1:${PG_PORT}/postgres"
}

ready() { node -e "require('net').connect($PG_PORT, '127.0.0.1').on('connect', () => process.exit(0)).on('error', () => process.exit(1))" 2>/dev/null; }

start() {
  if pid="$(running_pid)"; then
    log "postgres already running (pid $pid) on 127.0.0.1:$PG_PORT"
    return 0
  fi
  local bin
  bin="$(bin_dir)" || die "PostgreSQL binaries missing: run 'npm ci' (embedded-postgres)"
  mkdir -p "$PG_HOME" "$(dirname "$LOG_FILE")"
  if [ ! -f "$DATA_DIR/PG_VERSION" ]; then
    log "creating the PostgreSQL cluster in $DATA_DIR"
    rm -rf "$DATA_DIR"
    node -e "process.stdout.write(require('crypto').randomBytes(24).toString('hex'))" >"$PASSWORD_FILE"
    "${AS_SERVER[@]}" "$bin/initdb" --pgdata="$DATA_DIR" --username="$PG_USER" --pwfile="$PASSWORD_FILE" \
      --auth=scram-sha-256 --encoding=UTF8 --locale=C >>"$LOG_FILE" 2>&1 || die "initdb failed (see $LOG_FILE)"
  fi
  ready && die "port $PG_PORT is busy (network.yaml database.port, shifted by DRUGTRACE_PORT_OFFSET)"
  log "starting postgres on 127.0.0.1:$PG_PORT (log: $LOG_FILE)"
  nohup "${AS_SERVER[@]}" "$bin/postgres" -D "$DATA_DIR" -p "$PG_PORT" \
    -c listen_addresses=127.0.0.1 -c unix_socket_directories= -c max_connections=100 \
    </dev/null >>"$LOG_FILE" 2>&1 &
  echo $! >"$PID_FILE"
  echo "$PG_PORT" >"$PORT_FILE"
  local waited=0
  until ready; do
    running_pid >/dev/null || { tail -n 20 "$LOG_FILE" >&2; die "postgres exited during start-up"; }
    [ "$waited" -ge $((START_TIMEOUT_S * 4)) ] && { tail -n 20 "$LOG_FILE" >&2; die "postgres not up after ${START_TIMEOUT_S}s"; }
    sleep 0.25
    waited=$((waited + 1))
  done
  log "postgres up (pid $(cat "$PID_FILE")) on 127.0.0.1:$PG_PORT ('postgres.sh url' gives DATABASE_URL)"
}

# SIGTERM is PostgreSQL's "smart" shutdown; stop_process kills it after 20 s.
stop() { stop_process postgres "$PID_FILE" 20; }

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if pid="$(running_pid)"; then echo "postgres: running (pid $pid) on 127.0.0.1:$PG_PORT"; else echo "postgres: stopped"; fi ;;
  url) url ;;
  *) die "usage: postgres.sh start|stop|status|url" ;;
esac
