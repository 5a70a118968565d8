# Starting, waiting for and stopping the network's processes, each with a pid file and a rotated log file.
# Sourced by network.sh.

# Fabric's log levels: info for operations, but not a line per gRPC call, per endorsement or per submit (the
# endorser and the peer gateway would log each transaction; their warnings and errors stay).
# DRUGTRACE_FABRIC_LOGGING_SPEC overrides, e.g. "debug" while chasing a problem.
FABRIC_LOG_SPEC="${DRUGTRACE_FABRIC_LOGGING_SPEC:-comm.grpc.server,endorser,gateway=warning:info}"

node_pid() { # name → pid if running
  local f="$PIDS/$1.pid"
  [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null && cat "$f"
}

# start_node <name> <command...>: in the background, output through log-rotate.js into logs/<name>.log.
# Neither the node nor its log writer may inherit network.sh's lock (9>&-: they would hold it for life) or
# the caller's stdout and stderr (a caller waiting for them to close would wait for the node's death), and
# the node runs in a session of its own, so a signal to the caller's process group (a test runner's timeout)
# does not stop it. setsid execs in place here (a background job is no group leader): $! is the node.
start_node() {
  local name="$1"
  shift
  node_pid "$name" >/dev/null && return 0
  nohup setsid "$@" </dev/null 9>&- > >(exec "$NODE_BIN" "$REPO_ROOT/test-network-scripts/lib/log-rotate.js" \
    "$LOGS/$name.log" >/dev/null 2>>"$LOGS/log-rotate.log" 9>&-) 2>&1 &
  echo $! >"$PIDS/$name.pid"
}

stop_node() { stop_process "$1" "$PIDS/$1.pid"; }

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

# Operations endpoints (health, metrics, log levels) speak TLS; /metrics and /logspec need a TLS client
# certificate from the node's organisation, /healthz and /version do not.
ops_get() { # <org key whose admin asks> <port> <path>
  local tls="$CRYPTO/$1/users/admin/tls"
  curl -fsS -m 2 --cacert "$tls/ca.crt" --cert "$tls/client.crt" --key "$tls/client.key" "https://127.0.0.1:$2$3"
}
healthz() { curl -fsS -m 2 --cacert "$2" "https://127.0.0.1:$1/healthz"; }

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

# With SmartBFT, the orderers' client listener cannot demand TLS client certificates: in Fabric v3.1.1 a
# restarted BFT orderer pulls the blocks it missed from the others through Deliver without the TLS
# certificate hash that mutual TLS binds requests to (orderer/consensus/smartbft/util.go builds its
# BFTDeliverer without TLSCertHash), so it would never catch up. Every request is still signed and checked
# against the channel's Readers/Writers policies; only the transport binding is lost. Raft does not pull.
orderer_client_auth() { [ "$CONSENSUS" = bft ] && echo false || echo true; }

# Every listener uses TLS, mutual TLS for Raft (see above): the general one (clients, peers delivering
# blocks and the gateway's broadcasts, and the cluster, which shares it), the admin one (osnadmin) and the
# operations one.
start_orderer() { # name
  local name="$1"
  local dir="$CRYPTO/$ORDERER_KEY/orderers/$name" data="$DATA/$name"
  mkdir -p "$data"
  start_node "$name" env FABRIC_CFG_PATH="$CONFIG/orderer" \
    FABRIC_LOGGING_SPEC="$FABRIC_LOG_SPEC" \
    ORDERER_GENERAL_LISTENADDRESS=127.0.0.1 \
    ORDERER_GENERAL_LISTENPORT="${ORDERER_PORT[$name]}" \
    ORDERER_GENERAL_LOCALMSPID="$ORDERER_MSP" \
    ORDERER_GENERAL_LOCALMSPDIR="$dir/msp" \
    ORDERER_GENERAL_TLS_ENABLED=true \
    ORDERER_GENERAL_TLS_PRIVATEKEY="$dir/tls/server.key" \
    ORDERER_GENERAL_TLS_CERTIFICATE="$dir/tls/server.crt" \
    ORDERER_GENERAL_TLS_ROOTCAS="[$dir/tls/ca.crt]" \
    ORDERER_GENERAL_TLS_CLIENTAUTHREQUIRED="$(orderer_client_auth)" \
    ORDERER_GENERAL_TLS_CLIENTROOTCAS="$(orderer_client_roots)" \
    ORDERER_GENERAL_CLUSTER_CLIENTCERTIFICATE="$dir/tls/server.crt" \
    ORDERER_GENERAL_CLUSTER_CLIENTPRIVATEKEY="$dir/tls/server.key" \
    ORDERER_GENERAL_CLUSTER_ROOTCAS="[$dir/tls/ca.crt]" \
    ORDERER_GENERAL_BOOTSTRAPMETHOD=none \
    ORDERER_CHANNELPARTICIPATION_ENABLED=true \
    ORDERER_ADMIN_LISTENADDRESS="127.0.0.1:${ORDERER_ADMIN_PORT[$name]}" \
    ORDERER_ADMIN_TLS_ENABLED=true \
    ORDERER_ADMIN_TLS_PRIVATEKEY="$dir/tls/server.key" \
    ORDERER_ADMIN_TLS_CERTIFICATE="$dir/tls/server.crt" \
    ORDERER_ADMIN_TLS_ROOTCAS="[$dir/tls/ca.crt]" \
    ORDERER_ADMIN_TLS_CLIENTAUTHREQUIRED=true \
    ORDERER_ADMIN_TLS_CLIENTROOTCAS="[$dir/tls/ca.crt]" \
    ORDERER_OPERATIONS_LISTENADDRESS="127.0.0.1:${ORDERER_OPS_PORT[$name]}" \
    ORDERER_OPERATIONS_TLS_ENABLED=true \
    ORDERER_OPERATIONS_TLS_CERTIFICATE="$dir/tls/server.crt" \
    ORDERER_OPERATIONS_TLS_PRIVATEKEY="$dir/tls/server.key" \
    ORDERER_OPERATIONS_TLS_CLIENTAUTHREQUIRED=false \
    ORDERER_OPERATIONS_TLS_CLIENTROOTCAS="[$dir/tls/ca.crt]" \
    ORDERER_METRICS_PROVIDER=prometheus \
    ORDERER_FILELEDGER_LOCATION="$data/ledger" \
    ORDERER_CONSENSUS_WALDIR="$data/consensus/wal" \
    ORDERER_CONSENSUS_SNAPDIR="$data/consensus/snapshot" \
    orderer
}

# Peers require a TLS client certificate from any organisation's TLS CA (users, admins, other peers'
# gossip and the gateway's endorsement requests), and present their own TLS certificate (issued for
# server and client authentication) when they connect to orderers and other peers.
start_peer() { # key
  local key="$1"
  local dir="$CRYPTO/$key/peers/peer0" data="$DATA/peer0.$key" port="${ORG_PEER_PORT[$key]}"
  local ccport="${ORG_CC_PORT[$key]}"
  mkdir -p "$data"
  start_node "peer0.$key" env FABRIC_CFG_PATH="$CONFIG/peer" \
    FABRIC_LOGGING_SPEC="$FABRIC_LOG_SPEC" \
    CORE_PEER_ID="peer0.${ORG_DOMAIN[$key]}" \
    CORE_PEER_LISTENADDRESS="127.0.0.1:$port" \
    CORE_PEER_ADDRESS="127.0.0.1:$port" \
    CORE_PEER_CHAINCODELISTENADDRESS="127.0.0.1:$ccport" \
    CORE_PEER_CHAINCODEADDRESS="127.0.0.1:$ccport" \
    CORE_PEER_GOSSIP_BOOTSTRAP="127.0.0.1:$port" \
    CORE_PEER_GOSSIP_EXTERNALENDPOINT="127.0.0.1:$port" \
    CORE_PEER_LOCALMSPID="${ORG_MSP[$key]}" \
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
    CORE_OPERATIONS_LISTENADDRESS="127.0.0.1:${ORG_OPS_PORT[$key]}" \
    CORE_OPERATIONS_TLS_ENABLED=true \
    CORE_OPERATIONS_TLS_CERT_FILE="$dir/tls/server.crt" \
    CORE_OPERATIONS_TLS_KEY_FILE="$dir/tls/server.key" \
    CORE_OPERATIONS_TLS_CLIENTAUTHREQUIRED=false \
    CORE_OPERATIONS_TLS_CLIENTROOTCAS_FILES="$dir/tls/ca.crt" \
    CORE_METRICS_PROVIDER=prometheus \
    CORE_PEER_GATEWAY_ENABLED=true \
    CORE_CHAINCODE_EXECUTETIMEOUT=300s \
    CORE_PEER_PROFILE_ENABLED=false \
    peer node start
}

start_all_cas() {
  local key
  start_ca "$ORDERER_KEY" "$ORDERER_CA_PORT" "$ORDERER_DOMAIN"
  for key in "${ORG_KEYS[@]}"; do start_ca "$key" "${ORG_CA_PORT[$key]}" "${ORG_DOMAIN[$key]}"; done
}

# Starts whatever is not running: CAs, orderers, peers (a no-op for running ones).
start_all_nodes() {
  local key name
  start_all_cas
  for name in "${ORDERER_NAMES[@]}"; do start_orderer "$name"; done
  for key in "${ORG_KEYS[@]}"; do start_peer "$key"; done
}

wait_all_nodes() {
  local key name
  for name in "${ORDERER_NAMES[@]}"; do
    wait_for "$name" 60 healthz "${ORDERER_OPS_PORT[$name]}" "$(orderer_ca)"
  done
  for key in "${ORG_KEYS[@]}"; do
    wait_for "peer0.$key" 60 healthz "${ORG_OPS_PORT[$key]}" "$CRYPTO/$key/msp/tlscacerts/tlsca.pem"
  done
}

# The orderer that reports itself the channel's leader (Raft leader or SmartBFT leader), if one does.
ordering_leader() {
  local name metric
  metric="$([ "$CONSENSUS" = bft ] && echo consensus_BFT_is_leader || echo consensus_etcdraft_is_leader)"
  for name in "${ORDERER_NAMES[@]}"; do
    if ops_get "$ORDERER_KEY" "${ORDERER_OPS_PORT[$name]}" /metrics 2>/dev/null |
      grep -qiE "^$metric\{channel=\"$CHANNEL\"\} 1"; then
      echo "$name"
      return 0
    fi
  done
  return 1
}
ordering_has_leader() { ordering_leader >/dev/null; }

# After a restart the orderers elect a leader before they order anything.
wait_ordering_leader() {
  local waited=0
  until ordering_has_leader; do
    [ "$waited" -ge 240 ] && die "no $CONSENSUS leader after 60s (logs: $LOGS/orderer*.log)"
    sleep 0.25
    waited=$((waited + 1))
  done
}

stop_all_nodes() {
  local pidfile
  for pidfile in "$PIDS"/*.pid; do
    [ -e "$pidfile" ] || continue
    stop_process "$(basename "$pidfile" .pid)" "$pidfile" &
  done
  wait
}
