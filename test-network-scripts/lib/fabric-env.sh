# Paths of the generated network, the resolved network.yaml, and the environment a Fabric CLI call needs.
# Sourced after common.sh.

CRYPTO="$DRUGTRACE_HOME/crypto"
DATA="$DRUGTRACE_HOME/data"
CONFIG="$DRUGTRACE_HOME/config"
STATE="$DRUGTRACE_HOME/state"
PIDS="$DRUGTRACE_HOME/pids"
LOGS="$DRUGTRACE_HOME/logs"
NODE_BIN="$(command -v node)"
# Peer CLI calls outside as_admin (calculatepackageid) still need a core.yaml.
export FABRIC_CFG_PATH="$CONFIG/peer"

cfg() { node "$REPO_ROOT/test-network-scripts/lib/network-config.js" "$@"; }

# network.yaml, read once, as named fields: CHANNEL, CC_NAME, ORG_KEYS, ORG_MSP[key], ORG_PEER_PORT[key],
# ORDERER_NAMES, ORDERER_PORT[name]… (see network-config.js `shell`). A created network keeps the consensus
# type it was created with.
[ -f "$STATE/consensus" ] && export DRUGTRACE_CONSENSUS="$(cat "$STATE/consensus")"
_cfg_shell="$(cfg shell)" || die "network/network.yaml could not be read (see above)"
eval "$_cfg_shell"
unset _cfg_shell

load_binaries() {
  local dirs
  dirs="$(bash "$REPO_ROOT/test-network-scripts/install-fabric.sh")" || die "could not install the Fabric binaries (see above)"
  FABRIC_BIN="$(sed -n 1p <<<"$dirs")"
  FABRIC_CA_BIN="$(sed -n 2p <<<"$dirs")"
  export PATH="$FABRIC_BIN:$FABRIC_CA_BIN:$PATH"
  FABRIC_SAMPLECONFIG="$(cd "$REPO_ROOT/test-network-scripts/fabric-build/fabric" &&
    go list -m -f '{{.Dir}}' github.com/hyperledger/fabric)/sampleconfig"
}

orderer_ca() { echo "$CRYPTO/$ORDERER_KEY/msp/tlscacerts/tlsca.pem"; }
chaincode_tls_dir() { echo "$CRYPTO/$ORDERER_KEY/chaincode"; }
# Where the CLI sends a transaction: the current leader when one says so (a follower that has just
# restarted may still be catching up and lose it), else the first orderer.
orderer_port() {
  local leader
  leader="$(ordering_leader)" || leader="${ORDERER_NAMES[0]}"
  echo "${ORDERER_PORT[$leader]}"
}

# Mutual TLS: peers and orderers accept only clients whose TLS certificate one of these CAs issued
# (every organisation's TLS CA, the orderer organisation's included), one path per line.
tls_client_roots() {
  local key
  orderer_ca
  for key in "${ORG_KEYS[@]}"; do echo "$CRYPTO/$key/msp/tlscacerts/tlsca.pem"; done
}

# orderer_tls_args <org key>: what a peer CLI command that talks to an orderer needs, as the org's admin.
orderer_tls_args() {
  local tls="$CRYPTO/$1/users/admin/tls"
  printf -- '%s\n' --tls --cafile "$(orderer_ca)" --clientauth --certfile "$tls/client.crt" --keyfile "$tls/client.key"
}

# as_admin <org key> <command...>: runs a peer CLI command as the org's admin against its peer, presenting
# the admin's TLS client certificate (peers require one).
# The orderer organisation's admin has no peer: as it, only commands sent to an orderer (-o) make sense.
as_admin() {
  local key="$1" msp port
  shift
  if [ "$key" = "$ORDERER_KEY" ]; then
    msp="$ORDERER_MSP" port=0
  else
    msp="${ORG_MSP[$key]}" port="${ORG_PEER_PORT[$key]}"
  fi
  FABRIC_CFG_PATH="$CONFIG/peer" \
    FABRIC_LOGGING_SPEC="grpc=error:info" \
    CORE_PEER_LOCALMSPID="$msp" \
    CORE_PEER_MSPCONFIGPATH="$CRYPTO/$key/users/admin/msp" \
    CORE_PEER_ADDRESS="127.0.0.1:$port" \
    CORE_PEER_TLS_ENABLED=true \
    CORE_PEER_TLS_ROOTCERT_FILE="$CRYPTO/$key/msp/tlscacerts/tlsca.pem" \
    CORE_PEER_TLS_CLIENTAUTHREQUIRED=true \
    CORE_PEER_TLS_CLIENTCERT_FILE="$CRYPTO/$key/users/admin/tls/client.crt" \
    CORE_PEER_TLS_CLIENTKEY_FILE="$CRYPTO/$key/users/admin/tls/client.key" \
    "$@"
}

peer_height() { # key
  as_admin "$1" peer channel getinfo -c "$CHANNEL" 2>/dev/null | sed -n 's/.*"height":\([0-9]*\).*/\1/p'
}
