# Starting, waiting for and stopping the network's processes, each with a pid file and a log file.
# Sourced by network.sh.

STOP_TIMEOUT_S=20

node_pid() { # name → pid if running
  local f="$PIDS/$1.pid"
  [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null && cat "$f"
}

start_node() { # name command...
  local name="$1"
  shift
  node_pid "$name" >/dev/null && return 0
  # 9>&-: a node must not inherit network.sh's lock (it would hold it for its whole life).
  nohup "$@" </dev/null >>"$LOGS/$name.log" 2>&1 9>&- &
  echo $! >"$PIDS/$name.pid"
}

# wait_for <node name> <seconds> <probe command...>: polls the probe; on timeout shows the node's log tail.
wait_for() {
  local name="$1" timeout="$2" waited=0
  shift 2
  until "$@" >/dev/null 2>&1; do
    if ! node_pid "$name" >/dev/null; then
      tail -n 20 "$LOGS/$name.log" >&2 || true
      die "$name exited (log: $LOGS/$name.log)"
    fi
    [ "$waited" -ge "$((timeout * 4))" ] && {
      tail -n 20 "$LOGS/$name.log" >&2 || true
      die "$name not ready after ${timeout}s (log: $LOGS/$name.log)"
    }
    sleep 0.25
    waited=$((waited + 1))
  done
}

healthz() { curl -fsS -m 2 "http://127.0.0.1:$1/healthz"; }

# Fabric's sample core.yaml/orderer.yaml from the pinned module, with what env vars cannot express:
# no Docker (vm.endpoint empty) and the chaincode-as-a-service external builder.
prepare_config() {
  mkdir -p "$CONFIG/peer" "$CONFIG/orderer"
  cp "$FABRIC_SAMPLECONFIG/orderer.yaml" "$CONFIG/orderer/"
  cp "$FABRIC_SAMPLECONFIG/core.yaml" "$CONFIG/peer/"
  chmod u+w "$CONFIG"/*/*.yaml
  node -e '
    const fs = require("fs"), YAML = require("yaml");
    const [file, builder] = process.argv.slice(1);
    const doc = YAML.parseDocument(fs.readFileSync(file, "utf8"));
    doc.setIn(["vm", "endpoint"], "");
    doc.setIn(["chaincode", "externalBuilders"], [{ name: "ccaas", path: builder }]);
    fs.writeFileSync(file, doc.toString());
  ' "$CONFIG/peer/core.yaml" "$REPO_ROOT/test-network-scripts/builders/ccaas"
}

# Every TLS CA as an orderer.yaml list from the environment: [a,b,c].
orderer_client_roots() { echo "[$(tls_client_roots | paste -sd, -)]"; }

# Every listener uses mutual TLS: the general one (clients, peers delivering blocks and the gateway's
# broadcasts, and the Raft cluster, which shares it) and the admin one (osnadmin) require a client
# certificate from an organisation's TLS CA.
start_orderer() { # name port admin-port operations-port
  local name="$1" port="$2" admin="$3" ops="$4"
  local dir="$CRYPTO/$ORDERER_KEY/orderers/$name" data="$DATA/$name"
  mkdir -p "$data"
  start_node "$name" env FABRIC_CFG_PATH="$CONFIG/orderer" \
    ORDERER_GENERAL_LISTENADDRESS=127.0.0.1 \
    ORDERER_GENERAL_LISTENPORT="$port" \
    ORDERER_GENERAL_LOCALMSPID="$ORDERER_MSP" \
    ORDERER_GENERAL_LOCALMSPDIR="$dir/msp" \
    ORDERER_GENERAL_TLS_ENABLED=true \
    ORDERER_GENERAL_TLS_PRIVATEKEY="$dir/tls/server.key" \
    ORDERER_GENERAL_TLS_CERTIFICATE="$dir/tls/server.crt" \
    ORDERER_GENERAL_TLS_ROOTCAS="[$dir/tls/ca.crt]" \
    ORDERER_GENERAL_TLS_CLIENTAUTHREQUIRED=true \
    ORDERER_GENERAL_TLS_CLIENTROOTCAS="$(orderer_client_roots)" \
    ORDERER_GENERAL_CLUSTER_CLIENTCERTIFICATE="$dir/tls/server.crt" \
    ORDERER_GENERAL_CLUSTER_CLIENTPRIVATEKEY="$dir/tls/server.key" \
    ORDERER_GENERAL_CLUSTER_ROOTCAS="[$dir/tls/ca.crt]" \
    ORDERER_GENERAL_BOOTSTRAPMETHOD=none \
    ORDERER_CHANNELPARTICIPATION_ENABLED=true \
    ORDERER_ADMIN_LISTENADDRESS="127.0.0.1:$admin" \
    ORDERER_ADMIN_TLS_ENABLED=true \
    ORDERER_ADMIN_TLS_PRIVATEKEY="$dir/tls/server.key" \
    ORDERER_ADMIN_TLS_CERTIFICATE="$dir/tls/server.crt" \
    ORDERER_ADMIN_TLS_ROOTCAS="[$dir/tls/ca.crt]" \
    ORDERER_ADMIN_TLS_CLIENTAUTHREQUIRED=true \
    ORDERER_ADMIN_TLS_CLIENTROOTCAS="[$dir/tls/ca.crt]" \
    ORDERER_OPERATIONS_LISTENADDRESS="127.0.0.1:$ops" \
    ORDERER_METRICS_PROVIDER=prometheus \
    ORDERER_FILELEDGER_LOCATION="$data/ledger" \
    ORDERER_CONSENSUS_WALDIR="$data/etcdraft/wal" \
    ORDERER_CONSENSUS_SNAPDIR="$data/etcdraft/snapshot" \
    orderer
}

# Peers require a TLS client certificate from any organisation's TLS CA (users, admins, other peers'
# gossip and the gateway's endorsement requests), and present their own TLS certificate (issued for
# server and client authentication) when they connect to orderers and other peers.
start_peer() { # key msp peer-port chaincode-port operations-port domain
  local key="$1" msp="$2" port="$3" ccport="$4" ops="$5" domain="$6"
  local dir="$CRYPTO/$key/peers/peer0" data="$DATA/peer0.$key"
  mkdir -p "$data"
  start_node "peer0.$key" env FABRIC_CFG_PATH="$CONFIG/peer" \
    CORE_PEER_ID="peer0.$domain" \
    CORE_PEER_LISTENADDRESS="127.0.0.1:$port" \
    CORE_PEER_ADDRESS="127.0.0.1:$port" \
    CORE_PEER_CHAINCODELISTENADDRESS="127.0.0.1:$ccport" \
    CORE_PEER_CHAINCODEADDRESS="127.0.0.1:$ccport" \
    CORE_PEER_GOSSIP_BOOTSTRAP="127.0.0.1:$port" \
    CORE_PEER_GOSSIP_EXTERNALENDPOINT="127.0.0.1:$port" \
    CORE_PEER_LOCALMSPID="$msp" \
    CORE_PEER_MSPCONFIGPATH="$dir/msp" \
    CORE_PEER_TLS_ENABLED=true \
    CORE_PEER_TLS_CERT_FILE="$dir/tls/server.crt" \
    CORE_PEER_TLS_KEY_FILE="$dir/tls/server.key" \
    CORE_PEER_TLS_ROOTCERT_FILE="$dir/tls/ca.crt" \
    CORE_PEER_TLS_CLIENTAUTHREQUIRED=true \
    CORE_PEER_TLS_CLIENTROOTCAS_FILES="$(tls_client_roots | paste -sd' ' -)" \
    CORE_PEER_TLS_CLIENTCERT_FILE="$dir/tls/server.crt" \
    CORE_PEER_TLS_CLIENTKEY_FILE="$dir/tls/server.key" \
    CORE_PEER_FILESYSTEMPATH="$data" \
    CORE_LEDGER_SNAPSHOTS_ROOTDIR="$data/snapshots" \
    CORE_OPERATIONS_LISTENADDRESS="127.0.0.1:$ops" \
    CORE_METRICS_PROVIDER=prometheus \
    CORE_PEER_GATEWAY_ENABLED=true \
    CORE_CHAINCODE_EXECUTETIMEOUT=300s \
    CORE_PEER_PROFILE_ENABLED=false \
    peer node start
}

# Starts whatever is not running: CAs, orderers, peers (a no-op for running ones).
start_all_nodes() {
  local name port admin ops key msp ca_port ccport domain
  start_ca "$ORDERER_KEY" "$(cfg get ordererOrg.caPort)" "$(cfg get ordererOrg.domain)"
  while read -r key msp _ ca_port port ccport ops domain _; do
    start_ca "$key" "$ca_port" "$domain"
  done < <(cfg orgs)
  while read -r name port admin ops; do
    start_orderer "$name" "$port" "$admin" "$ops"
  done < <(cfg orderers)
  while read -r key msp _ ca_port port ccport ops domain _; do
    start_peer "$key" "$msp" "$port" "$ccport" "$ops" "$domain"
  done < <(cfg orgs)
}

wait_all_nodes() {
  local name port admin ops key ca_port
  while read -r name port admin ops; do
    wait_for "$name" 60 healthz "$ops"
  done < <(cfg orderers)
  while read -r key _ _ ca_port port _ ops _ _; do
    wait_for "peer0.$key" 60 healthz "$ops"
  done < <(cfg orgs)
}

# True when one orderer reports itself Raft leader of the channel (operations endpoint, Prometheus).
raft_has_leader() {
  local _name _port _admin ops
  while read -r _name _port _admin ops; do
    curl -fsS -m 2 "http://127.0.0.1:$ops/metrics" 2>/dev/null |
      grep -qE '^consensus_etcdraft_is_leader\{channel="'"$(cfg get channel)"'"\} 1' && return 0
  done < <(cfg orderers)
  return 1
}

# After a restart the orderers hold an election before they order anything.
wait_raft_leader() {
  local waited=0
  until raft_has_leader; do
    [ "$waited" -ge 240 ] && die "no Raft leader after 60s (logs: $LOGS/orderer*.log)"
    sleep 0.25
    waited=$((waited + 1))
  done
}

stop_all_nodes() {
  local pidfile pid name
  for pidfile in "$PIDS"/*.pid; do
    [ -e "$pidfile" ] || continue
    pid="$(cat "$pidfile")"
    name="$(basename "$pidfile" .pid)"
    if kill -0 "$pid" 2>/dev/null; then
      log "stopping $name (pid $pid)"
      kill -TERM "$pid" 2>/dev/null || true
    fi
  done
  local waited=0
  for pidfile in "$PIDS"/*.pid; do
    [ -e "$pidfile" ] || continue
    pid="$(cat "$pidfile")"
    while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt "$((STOP_TIMEOUT_S * 4))" ]; do
      sleep 0.25
      waited=$((waited + 1))
    done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    rm -f "$pidfile"
  done
}
