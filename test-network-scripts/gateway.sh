#!/usr/bin/env bash
# Starts and stops the REST gateway as a background process with a pid file; generates and rotates the
# organisations' receipt signing keys.
#   gateway.sh start | stop | status | rotate-receipt-keys
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

RECEIPT_KEYS="$DRUGTRACE_HOME/state/receipt-keys"

# One new P-256 signing key (PKCS#8 PEM, 0600 under umask 077) for an organisation: <MSP>-<UTC stamp>.pem.
new_receipt_key() {
  local msp="$1" stamp
  stamp="$(date -u +%Y%m%dT%H%M%SZ)"
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$RECEIPT_KEYS/$msp-$stamp.pem" 2>/dev/null ||
    die "openssl could not generate a receipt signing key for $msp"
}

# The MSP IDs of the organisations in network.json.
network_msps() {
  node -e 'for (const o of Object.values(require(process.argv[1]).orgs)) console.log(o.mspId)' \
    "$DRUGTRACE_HOME/network.json"
}

# Every organisation has a receipt signing key (made at the first start, kept across restarts).
ensure_receipt_keys() {
  mkdir -p "$RECEIPT_KEYS"
  local msp
  for msp in $(network_msps); do
    compgen -G "$RECEIPT_KEYS/$msp-*.pem" >/dev/null || new_receipt_key "$msp"
  done
}

# A newer key for every organisation: the gateway signs with it after its next start; older keys stay
# published (GET /.well-known/jwks.json), so receipts signed before still check.
rotate_receipt_keys() {
  [ -f "$DRUGTRACE_HOME/network.json" ] || die "no network: run 'npm run network:up' first"
  mkdir -p "$RECEIPT_KEYS"
  local msp
  for msp in $(network_msps); do new_receipt_key "$msp"; done
  sleep 1 # a second rotation in the same second would reuse the stamp
  log "new receipt signing keys in $RECEIPT_KEYS; restart the gateway to sign with them"
}

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
  ensure_receipt_keys
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
  rotate-receipt-keys) rotate_receipt_keys ;;
  *) echo "usage: $0 start|stop|status|rotate-receipt-keys" >&2; exit 2 ;;
esac
