#!/usr/bin/env bash
# The local DrugTrace Fabric network as native processes (no Docker), defined by network/network.yaml.
#   network.sh up       build Fabric if needed, create or resume the network, deploy the chaincode once
#   network.sh status   processes, block height per peer, committed chaincode
#   network.sh stop     stop every process, keep ledgers and crypto (a later `up` resumes)
#   network.sh down     stop and remove all generated state
#   network.sh deploy   upgrade the chaincode to the current build (sequence + 1)
#   network.sh logs [node]
#   network.sh batch <timeout> <max messages>   change the running channel's block cutting (lib/block-cutting.sh)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
source "$HERE/lib/common.sh"
source "$HERE/lib/fabric-env.sh"
source "$HERE/lib/crypto.sh"
source "$HERE/lib/nodes.sh"
source "$HERE/lib/channel.sh"
source "$HERE/lib/chaincode.sh"
source "$HERE/lib/org-join.sh"
source "$HERE/lib/block-cutting.sh"

# Ready for clients: a Raft leader, and every organisation's peer finds enough live peers (gossip
# discovery) to endorse under the chaincode policy. Both take seconds after a start.
wait_ready() {
  log "waiting for a $CONSENSUS leader and for gossip discovery to find every peer"
  wait_ordering_leader
  node "$HERE/lib/wait-endorsable.js" "$DRUGTRACE_HOME/network.json" 60 || die "the network does not endorse (see above)"
}

up() {
  load_binaries
  mkdir -p "$PIDS" "$LOGS"
  if [ -f "$STATE/created" ]; then
    [ -f "$STATE/consensus" ] && [ -f "$STATE/orgs" ] ||
      die "$DRUGTRACE_HOME was created by an older DrugTrace (Fabric before v3.1.1): run 'npm run network:down' and 'npm run network:up'"
    log "resuming the network in $DRUGTRACE_HOME ($CONSENSUS ordering)"
    local key
    start_all_cas
    for key in $(new_orgs); do
      log "new organisation in network.yaml: $key (${ORG_MSP[$key]})"
      create_peer_org_identities "$key"
    done
    start_all_nodes
    wait_all_nodes
    start_chaincode_server
    wait_ordering_leader
    join_new_orgs
    wait_ready
  else
    local t0=$SECONDS
    log "creating the network in $DRUGTRACE_HOME ($CONSENSUS ordering)"
    mkdir -p "$STATE"
    echo "$CONSENSUS" >"$STATE/consensus"
    prepare_config
    create_crypto
    start_all_nodes
    wait_all_nodes
    create_channel
    deploy_chaincode
    write_client_files
    seed_registry
    wait_ready
    printf '%s\n' "${ORG_KEYS[@]}" >"$STATE/orgs"
    touch "$STATE/created"
    log "network created in $((SECONDS - t0))s"
  fi
  log "network up: channel $CHANNEL, $CONSENSUS ordering, chaincode $CC_NAME sequence $(cat "$STATE/sequence")"
}

deploy() {
  load_binaries
  [ -f "$STATE/created" ] || die "no network: run 'npm run network:up' first"
  deploy_chaincode
  write_client_files
}

status() {
  load_binaries
  echo "  Fabric $(peer version 2>/dev/null | sed -n 's/^ Version: //p') (peer), $(orderer version 2>/dev/null | sed -n 's/^ Version: //p') (orderer), Fabric CA $(fabric-ca-server version 2>/dev/null | sed -n 's/^ Version: //p')"
  local name pid key pidfile
  for pidfile in "$PIDS"/*.pid; do
    [ -e "$pidfile" ] || { echo "no process started (pid files in $PIDS)"; return 0; }
    name="$(basename "$pidfile" .pid)"
    pid="$(cat "$pidfile")"
    if kill -0 "$pid" 2>/dev/null; then echo "  $name: running (pid $pid)"; else echo "  $name: stopped"; fi
  done
  [ -f "$STATE/created" ] || return 0
  echo "  ordering: $CONSENSUS, ${#ORDERER_NAMES[@]} orderers"
  for key in "${ORG_KEYS[@]}"; do
    printf '  peer0.%s height: %s\n' "$key" "$(peer_height "$key" 2>/dev/null || echo unreachable)"
  done
  as_admin "${ORG_KEYS[0]}" peer lifecycle chaincode querycommitted -C "$CHANNEL" -n "$CC_NAME" 2>&1 |
    sed 's/^/  /' || true
}

logs() {
  if [ -n "${1:-}" ]; then
    tail -n 100 -F "$LOGS/$1.log"
  else
    tail -n 20 -F "$LOGS"/*.log
  fi
}

# One network.sh at a time per DRUGTRACE_HOME: a second `up` waits for the first, then finds the network
# created and only resumes what is not running.
hold_lock() {
  mkdir -p "$DRUGTRACE_HOME"
  exec 9>"$DRUGTRACE_HOME/.network.lock"
  flock -w 600 9 || die "another network.sh has held $DRUGTRACE_HOME/.network.lock for 10 minutes"
}

case "${1:-}" in
  up | stop | down | deploy | batch) hold_lock ;;
esac

case "${1:-}" in
  up) up ;;
  status) status ;;
  stop)
    stop_all_nodes
    bash "$HERE/postgres.sh" stop
    ;;
  down)
    # The gateway's and PostgreSQL's pid files live under DRUGTRACE_HOME too: stop them before the folder goes.
    bash "$HERE/gateway.sh" stop
    stop_all_nodes
    bash "$HERE/postgres.sh" stop
    rm -rf "$DRUGTRACE_HOME"
    log "removed $DRUGTRACE_HOME"
    ;;
  deploy) deploy ;;
  logs) logs "${2:-}" ;;
  batch)
    load_binaries
    set_block_cutting "${2:-}" "${3:-}"
    ;;
  *)
    echo "usage: $0 up|status|stop|down|deploy|logs [node]|batch <timeout> <max messages>" >&2
    exit 2
    ;;
esac
