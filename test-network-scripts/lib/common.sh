# Shared by the platform scripts (start, stop, test, gateway, bench): paths and small helpers.
# Sourced, not run.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DRUGTRACE_HOME="${DRUGTRACE_HOME:-$REPO_ROOT/.drugtrace}"
GATEWAY_HOST="${HOST:-127.0.0.1}"
GATEWAY_PORT="${PORT:-3000}"
GATEWAY_URL="http://${GATEWAY_HOST}:${GATEWAY_PORT}"
export DRUGTRACE_HOME
# Everything the platform writes (keys, CA databases, logs, ledgers) is for its owner only: 0600 files,
# 0700 folders. No other local user can read a secret or a log line.
umask 077

log() { printf '\033[1m[drugtrace]\033[0m %s\n' "$*"; }
die() { printf '\033[31m[drugtrace] error:\033[0m %s\n' "$*" >&2; exit 1; }

# stop_process <name> <pid file> [seconds]: TERM, wait, then KILL; removes the pid file. Only ever signals
# the pid this platform recorded when it started the process.
stop_process() {
  local name="$1" pidfile="$2" timeout="${3:-20}" pid i
  [ -f "$pidfile" ] || return 0
  pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    log "stopping $name (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < timeout * 4; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.25
    done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  fi
  rm -f "$pidfile"
}

# npm packages from the lockfile, installed only when missing or when the lockfile changed.
ensure_node_modules() {
  local stamp="$REPO_ROOT/node_modules/.package-lock.json"
  if [ ! -f "$stamp" ] || [ "$REPO_ROOT/package-lock.json" -nt "$stamp" ]; then
    log "installing npm packages (npm ci)"
    (cd "$REPO_ROOT" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed: is the npm registry reachable?"
  fi
}

# Compiles the chaincode (deployed as a service) and the gateway.
build_all() {
  log "building chaincode and gateway"
  (cd "$REPO_ROOT" && npm run --silent build) || die "the TypeScript build failed (see above)"
}
