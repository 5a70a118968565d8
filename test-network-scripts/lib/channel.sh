# The application channel, created with the channel participation API (no system channel), and every
# peer joined. Anchor peers are in the genesis block. Sourced by network.sh.

osnadmin_as_operator() { # osnadmin subcommand args… (adds the orderer org admin's mutual TLS)
  local admin="$CRYPTO/$ORDERER_KEY/users/admin/tls"
  osnadmin "$@" --ca-file "$(orderer_ca)" --client-cert "$admin/client.crt" --client-key "$admin/client.key"
}

create_channel() {
  local block="$STATE/$CHANNEL.genesis.block" name key
  mkdir -p "$CONFIG/configtx"
  cfg configtx "$CRYPTO" "$CONFIG/configtx/configtx.yaml"
  if [ ! -f "$block" ]; then
    configtxgen -configPath "$CONFIG/configtx" -profile DrugTraceChannel -channelID "$CHANNEL" \
      -outputBlock "$block" >>"$LOGS/configtxgen.log" 2>&1 || die "configtxgen failed (see $LOGS/configtxgen.log)"
  fi
  for name in "${ORDERER_NAMES[@]}"; do
    if osnadmin_as_operator channel list -o "127.0.0.1:${ORDERER_ADMIN_PORT[$name]}" 2>/dev/null |
      grep -q "\"$CHANNEL\""; then
      continue
    fi
    log "joining $name to channel $CHANNEL"
    osnadmin_as_operator channel join --channelID "$CHANNEL" --config-block "$block" \
      -o "127.0.0.1:${ORDERER_ADMIN_PORT[$name]}" >>"$LOGS/osnadmin.log" 2>&1 ||
      die "osnadmin channel join failed on $name (see $LOGS/osnadmin.log)"
  done
  for key in "${ORG_KEYS[@]}"; do join_peer "$key" "$block"; done
}

join_peer() { # key block
  local key="$1" block="$2"
  if as_admin "$key" peer channel list 2>/dev/null | grep -qx "$CHANNEL"; then
    return 0
  fi
  log "joining peer0.$key to channel $CHANNEL"
  retry 20 as_admin "$key" peer channel join -b "$block" >>"$LOGS/peer-cli.log" 2>&1 ||
    die "peer0.$key could not join $CHANNEL (see $LOGS/peer-cli.log)"
}

retry() { # attempts command...: for steps that race the leader election or gossip start-up
  local attempts="$1" i
  shift
  for ((i = 1; i <= attempts; i++)); do
    "$@" && return 0
    sleep 1
  done
  return 1
}
