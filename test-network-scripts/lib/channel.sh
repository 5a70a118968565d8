# The application channel, created with the channel participation API (no system channel), and every
# peer joined. Anchor peers are in the genesis block. Sourced by network.sh.

create_channel() {
  local channel block
  channel="$(cfg get channel)"
  block="$STATE/$channel.genesis.block"
  mkdir -p "$CONFIG/configtx"
  cfg configtx "$CRYPTO" "$CONFIG/configtx/configtx.yaml"
  if [ ! -f "$block" ]; then
    configtxgen -configPath "$CONFIG/configtx" -profile DrugTraceChannel -channelID "$channel" \
      -outputBlock "$block" >>"$LOGS/configtxgen.log" 2>&1 || die "configtxgen failed (see $LOGS/configtxgen.log)"
  fi
  local admin="$CRYPTO/$ORDERER_KEY/users/admin/tls" name port admin_port ops
  while read -r name port admin_port ops; do
    if osnadmin channel list -o "127.0.0.1:$admin_port" --ca-file "$(orderer_ca)" \
      --client-cert "$admin/client.crt" --client-key "$admin/client.key" 2>/dev/null | grep -q "\"$channel\""; then
      continue
    fi
    log "joining $name to channel $channel"
    osnadmin channel join --channelID "$channel" --config-block "$block" -o "127.0.0.1:$admin_port" \
      --ca-file "$(orderer_ca)" --client-cert "$admin/client.crt" --client-key "$admin/client.key" \
      >>"$LOGS/osnadmin.log" 2>&1 || die "osnadmin channel join failed on $name (see $LOGS/osnadmin.log)"
  done < <(cfg orderers)
  local key msp port
  while read -r key msp _ _ port _; do
    if as_admin "$key" "$msp" "$port" peer channel list 2>/dev/null | grep -qx "$channel"; then
      continue
    fi
    log "joining peer0.$key to channel $channel"
    retry 20 as_admin "$key" "$msp" "$port" peer channel join -b "$block" >>"$LOGS/peer-cli.log" 2>&1 ||
      die "peer0.$key could not join $channel (see $LOGS/peer-cli.log)"
  done < <(cfg orgs)
}

retry() { # attempts command...: for steps that race the Raft leader election or gossip start-up
  local attempts="$1" i
  shift
  for ((i = 1; i <= attempts; i++)); do
    "$@" && return 0
    sleep 1
  done
  return 1
}
