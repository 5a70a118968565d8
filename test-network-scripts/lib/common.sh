# Shared by the platform scripts (start, stop, test, gateway, bench): paths and small helpers.
# Sourced, not run.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DRUGTRACE_HOME="${DRUGTRACE_HOME:-$REPO_ROOT/.drugtrace}"
GATEWAY_HOST="${HOST:-127.0.0.1}"
GATEWAY_PORT="${PORT:-3000}"
GATEWAY_URL="http://${GATEWAY_HOST}:${GATEWAY_PORT}"
export DRUGTRACE_HOME

log() { printf '\033[1m[drugtrace]\033[0m %s\n' "$*"; }
die() { printf '\033[31m[drugtrace] error:\033[0m %s\n' "$*" >&2; exit 1; }

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
