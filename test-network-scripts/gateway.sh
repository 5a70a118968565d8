#!/usr/bin/env bash
# Starts and stops the REST gateway as a background process with a pid file.
#   gateway.sh start | stop | status
set -euo pipefail
source "$(cd "$(dirname "$0")" && pwd)/lib/common.sh"

PID_FILE="$DRUGTRACE_HOME/gateway/gateway.pid"
LOG_FILE="$DRUGTRACE_HOME/logs/gateway.log"
START_TIMEOUT_S=60

running_pid() {
  [ -f "$PID_FILE" ] || return 1
  local pid
  pid="$(cat "$PID_FILE")"
  kill -0 "$pid" 2>/dev/null && echo "$pid"
}

healthy() { curl -fsS -m 2 "$GATEWAY_URL/health" >/dev/null 2>&1; }

start() {
  if pid="$(running_pid)"; then
    log "gateway already running (pid $pid) on $GATEWAY_URL"
    return 0
  fi
  [ -f "$REPO_ROOT/gateway/dist/main.js" ] && [ -f "$REPO_ROOT/gateway/public/vendor/domain.js" ] ||
    die "gateway is not built: run 'npm run build'"
  [ -f "$DRUGTRACE_HOME/network.json" ] || die "no network: run 'npm run network:up' first"
  if curl -s -m 2 -o /dev/null "$GATEWAY_URL" 2>/dev/null; then
    die "port $GATEWAY_PORT is busy (another program answers on $GATEWAY_URL); set PORT=<free port>"
  fi
  mkdir -p "$(dirname "$PID_FILE")" "$(dirname "$LOG_FILE")"
  log "starting gateway on $GATEWAY_URL (log: $LOG_FILE)"
  # The pid file must name node itself (not a subshell), and node must not hold the caller's stdout.
  cd "$REPO_ROOT"
  nohup node gateway/dist/main.js </dev/null >>"$LOG_FILE" 2>&1 &
  echo $! >"$PID_FILE"
  local waited=0
  until healthy; do
    if ! running_pid >/dev/null; then
      tail -n 30 "$LOG_FILE" >&2
      die "gateway exited during start-up (log above)"
    fi
    if [ "$waited" -ge "$START_TIMEOUT_S" ]; then
      tail -n 30 "$LOG_FILE" >&2
      die "gateway not healthy after ${START_TIMEOUT_S}s (log above)"
    fi
    sleep 1
    waited=$((waited + 1))
  done
  log "gateway up (pid $(cat "$PID_FILE"))"
}

stop() {
  # Graceful: the gateway flushes queued alert submissions before it exits.
  stop_process gateway "$PID_FILE" 30
}

status() {
  if pid="$(running_pid)"; then
    echo "gateway: running (pid $pid) on $GATEWAY_URL"
  else
    echo "gateway: stopped"
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
