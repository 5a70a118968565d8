#!/usr/bin/env bash
# `npm run bench`: the chaincode's in-memory bench, then the system benches against the real network
# (test/bench/gateway-bench.ts: verify through REST vs a direct Fabric Gateway call, commissioning;
# test/bench/write-bench.ts: ship, receive, dispense and prescriptions — throughput, latency, CPU per process,
# critical path). BENCH_SUITES (comma-separated; default verify,write,commission,read,terms) picks the system benches:
# commission = concurrent lots and a 100,000-pack lot in pages (test/bench/commission-bench.ts), terms = shipments
# with and without private commercial terms, read = the read model.
# Uses the network and gateway when they are already running; otherwise starts them and, at the end,
# stops only what it started (gateway.sh stop, network.sh stop: ledgers kept). Figures also go to
# test/artifacts/bench.json, bench-write.json and bench-chaincode.json. Knobs: see the header of test/bench/gateway-bench.ts.
set -euo pipefail
source "$(cd "$(dirname "$0")" && pwd)/lib/common.sh"

SCRIPTS="$REPO_ROOT/test-network-scripts"
PIDS_DIR="$DRUGTRACE_HOME/pids"
BENCH_BUILD="$REPO_ROOT/node_modules/.cache/drugtrace-bench-system"
ARTIFACTS="$REPO_ROOT/test/artifacts"
started_gateway=0
started_network=0

# Prints how many network processes (pid files under .drugtrace/pids) are alive, and how many there are.
network_processes() {
  local alive=0 total=0 pidfile
  for pidfile in "$PIDS_DIR"/*.pid; do
    [ -e "$pidfile" ] || continue
    total=$((total + 1))
    kill -0 "$(cat "$pidfile")" 2>/dev/null && alive=$((alive + 1))
  done
  echo "$alive $total"
}

gateway_healthy() { curl -fsS -m 2 "$GATEWAY_URL/health" >/dev/null 2>&1; }

cleanup() {
  local rc=$?
  if [ "$started_gateway" = 1 ]; then
    log "bench: stopping the gateway it started"
    bash "$SCRIPTS/gateway.sh" stop || rc=1
  fi
  if [ "$started_network" = 1 ]; then
    log "bench: stopping the network it started (ledgers kept)"
    bash "$SCRIPTS/network.sh" stop || rc=1
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

ensure_node_modules
mkdir -p "$ARTIFACTS"

log "bench 1/3: chaincode, in memory (commission 10,000 serials, pack and ship them)"
(cd "$REPO_ROOT" && DRUGTRACE_BENCH_OUT="$ARTIFACTS/bench-chaincode.json" npm run --silent bench -w chaincode) 2>&1 |
  tee "$ARTIFACTS/bench-chaincode.txt"

log "bench 2/3: the real network through the REST gateway and directly"
read -r alive total < <(network_processes)
if [ -f "$DRUGTRACE_HOME/state/created" ] && [ "$total" -gt 0 ] && [ "$alive" -eq "$total" ]; then
  log "network already running ($alive processes): using it, leaving it running"
else
  [ -f "$REPO_ROOT/chaincode/dist/index.js" ] && [ -f "$REPO_ROOT/gateway/dist/main.js" ] || build_all
  if [ "$alive" -eq 0 ]; then
    started_network=1
  else
    log "network partly running ($alive of $total processes): 'up' completes it; the bench will not stop it"
  fi
  bash "$SCRIPTS/network.sh" up
fi
if gateway_healthy; then
  log "gateway already answering on $GATEWAY_URL: using it, leaving it running"
else
  [ -f "$REPO_ROOT/gateway/dist/main.js" ] || build_all
  gateway_out="$(bash "$SCRIPTS/gateway.sh" start 2>&1)" || {
    echo "$gateway_out" >&2
    die "could not start the gateway"
  }
  echo "$gateway_out"
  if ! grep -q 'already running' <<<"$gateway_out"; then started_gateway=1; fi
  gateway_healthy || die "the gateway on $GATEWAY_URL is not healthy"
fi

# The chaincode domain types the bench imports come from chaincode/dist (built above or by the running stack).
[ -f "$REPO_ROOT/chaincode/dist/domain/index.d.ts" ] || build_all
rm -rf "$BENCH_BUILD"
(cd "$REPO_ROOT" && npx tsc -p test/bench/tsconfig.json) || die "the bench does not compile"
# test/support/fabric.ts imports the scripts' own client (../../test-network-scripts/lib/fabric-client.js), which
# tsc does not emit: from the build directory that path lands beside it, so it is linked there.
ln -sfn "$REPO_ROOT/test-network-scripts" "$(dirname "$BENCH_BUILD")/test-network-scripts"
suites="${BENCH_SUITES:-verify,write,commission,read,terms}"
if [[ ",$suites," == *,verify,* ]]; then
  (cd "$REPO_ROOT" && DRUGTRACE_GATEWAY_URL="$GATEWAY_URL" DRUGTRACE_BENCH_OUT="$ARTIFACTS/bench.json" \
    node "$BENCH_BUILD/bench/gateway-bench.js")
fi
if [[ ",$suites," == *,write,* ]]; then
  log "bench: custody writes (ship, receive, dispense, prescriptions)"
  (cd "$REPO_ROOT" && DRUGTRACE_GATEWAY_URL="$GATEWAY_URL" DRUGTRACE_BENCH_WRITE_OUT="$ARTIFACTS/bench-write.json" \
    BENCH_CHAINCODE_JSON="$ARTIFACTS/bench-chaincode.json" node "$BENCH_BUILD/bench/write-bench.js")
  log "bench: capacity model from the write bench (docs/SCALE.md; also in bench-write-model.json)"
  (cd "$REPO_ROOT" && node "$BENCH_BUILD/bench/capacity-model.js" "$ARTIFACTS/bench-write.json")
fi
if [[ ",$suites," == *,latency,* ]]; then
  # Each block cutting of BENCH_BATCH_TIMEOUTS in turn on the running channel (network.sh batch), then back to
  # network.yaml's; BENCH_LATENCY_CONCURRENCY (e.g. 20) adds throughput runs, what a shorter timeout costs.
  yaml_timeout="$(node "$SCRIPTS/lib/network-config.js" get ordering.batchTimeout)"
  yaml_count="$(node "$SCRIPTS/lib/network-config.js" get ordering.maxMessageCount)"
  IFS=',' read -r -a timeouts <<<"${BENCH_BATCH_TIMEOUTS:-$yaml_timeout}"
  latency_files=()
  for timeout in "${timeouts[@]}"; do
    bash "$SCRIPTS/network.sh" batch "$timeout" "$yaml_count"
    log "bench: lone ship, receive and dispense, idle and under verify load, BatchTimeout $timeout"
    out="$ARTIFACTS/bench-latency-$timeout.json"
    (cd "$REPO_ROOT" && DRUGTRACE_GATEWAY_URL="$GATEWAY_URL" BENCH_WRITE_CONCURRENCY="${BENCH_LATENCY_CONCURRENCY:-none}" \
      BENCH_PRESCRIPTIONS=0 BENCH_BATCH_TIMEOUT="$timeout" DRUGTRACE_BENCH_WRITE_OUT="$out" BENCH_CHAINCODE_JSON="$ARTIFACTS/bench-chaincode.json" \
      node "$BENCH_BUILD/bench/write-bench.js")
    latency_files+=("$out")
  done
  bash "$SCRIPTS/network.sh" batch "$yaml_timeout" "$yaml_count"
  (cd "$REPO_ROOT" && node "$BENCH_BUILD/bench/latency-table.js" "${latency_files[@]}")
fi
if [[ ",$suites," == *,goods,* ]]; then
  log "bench: loose packs and aggregation (1,000 loose packs in one shipment; 10,000 packs into cases, onto a pallet)"
  (cd "$REPO_ROOT" && DRUGTRACE_GATEWAY_URL="$GATEWAY_URL" DRUGTRACE_BENCH_GOODS_OUT="$ARTIFACTS/bench-goods.json" \
    BENCH_CHAINCODE_JSON="$ARTIFACTS/bench-chaincode.json" node "$BENCH_BUILD/bench/goods-bench.js")
fi
if [[ ",$suites," == *,commission,* ]]; then
  log "bench: commissioning (${BENCH_COMMISSION_LOTS:-8} lots at once, a ${BENCH_BIG_LOT_PACKS:-100000}-pack lot end to end)"
  (cd "$REPO_ROOT" && DRUGTRACE_GATEWAY_URL="$GATEWAY_URL" DRUGTRACE_BENCH_COMMISSION_OUT="$ARTIFACTS/bench-commission.json" \
    BENCH_CHAINCODE_JSON="$ARTIFACTS/bench-chaincode.json" node "$BENCH_BUILD/bench/commission-bench.js")
fi
if [[ ",$suites," == *,read,* ]]; then
  log "bench: the read model (verify three ways, fixed arrival rates, replica lag, a ${BENCH_LOT_PACKS:-100000}-pack lot's counts)"
  (cd "$REPO_ROOT" && DRUGTRACE_GATEWAY_URL="$GATEWAY_URL" DRUGTRACE_BENCH_OUT="$ARTIFACTS/bench-read-model.json" \
    node "$BENCH_BUILD/bench/read-model-bench.js")
fi
if [[ ",$suites," == *,terms,* ]]; then
  log "bench: shipments with and without commercial terms in private data"
  (cd "$REPO_ROOT" && DRUGTRACE_GATEWAY_URL="$GATEWAY_URL" node "$BENCH_BUILD/bench/terms-bench.js") |
    tee "$ARTIFACTS/bench-terms.txt"
fi
