# An organisation added to network.yaml joins the running network the way Fabric operators do it: its CA
# and identities, a channel configuration update (fetch the config, add the organisation with configtxlator,
# signatures from a majority of the existing organisations' admins, submit), its peer joined, the chaincode
# definition approved again by every organisation (the endorsement policy names the newcomer), the
# regulator's admission in the on-ledger registry, and its demo API key. Existing ledgers, identities and
# keys are untouched. Sourced by network.sh.

# The organisations in the channel, recorded at creation and after each join.
channel_orgs() { cat "$STATE/orgs"; }

new_orgs() {
  local key
  for key in "${ORG_KEYS[@]}"; do
    channel_orgs | grep -qx "$key" || echo "$key"
  done
}

# submit_config_update <work dir> <signing org keys…>: reads $work/update.pb, signs it as each organisation's
# admin but the last, which submits it (peer channel update adds its own signature).
submit_config_update() {
  local work="$1"
  shift
  local signers=("$@") ordtls key
  local last="${signers[-1]}"
  for key in "${signers[@]:0:${#signers[@]}-1}"; do
    as_admin "$key" peer channel signconfigtx -f "$work/update.pb" >>"$LOGS/peer-cli.log" 2>&1 ||
      die "${ORG_MSP[$key]} admin could not sign the channel update (see $LOGS/peer-cli.log)"
  done
  mapfile -t ordtls < <(orderer_tls_args "$last")
  retry 5 as_admin "$last" peer channel update -f "$work/update.pb" -c "$CHANNEL" \
    -o "127.0.0.1:$(orderer_port)" "${ordtls[@]}" >>"$LOGS/peer-cli.log" 2>&1 ||
    die "the channel update was refused (see $LOGS/peer-cli.log)"
}

# fetch_channel_config <work dir> <org key>: the channel's current configuration as <work>/config.json,
# fetched as that organisation's admin. Callers write their change to <work>/modified.json.
fetch_channel_config() {
  local work="$1" key="$2" ordtls
  mkdir -p "$work"
  mapfile -t ordtls < <(orderer_tls_args "$key")
  retry 5 as_admin "$key" peer channel fetch config "$work/config_block.pb" -c "$CHANNEL" \
    -o "127.0.0.1:$(orderer_port)" "${ordtls[@]}" >>"$LOGS/peer-cli.log" 2>&1 ||
    die "could not fetch the channel configuration (see $LOGS/peer-cli.log)"
  configtxlator proto_decode --type common.Block --input "$work/config_block.pb" --output "$work/config_block.json"
  node -e '
    const fs = require("fs");
    const dir = process.argv[1];
    const config = JSON.parse(fs.readFileSync(`${dir}/config_block.json`, "utf8")).data.data[0].payload.data.config;
    fs.writeFileSync(`${dir}/config.json`, JSON.stringify(config));
  ' "$work"
}

# update_channel_config <work dir> <signing org keys…>: the update from <work>/config.json to
# <work>/modified.json, signed by those organisations' admins and submitted by the last of them.
update_channel_config() {
  local work="$1"
  shift
  configtxlator proto_encode --type common.Config --input "$work/config.json" --output "$work/config.pb"
  configtxlator proto_encode --type common.Config --input "$work/modified.json" --output "$work/modified.pb"
  configtxlator compute_update --channel_id "$CHANNEL" --original "$work/config.pb" --updated "$work/modified.pb" \
    --output "$work/update_only.pb"
  configtxlator proto_decode --type common.ConfigUpdate --input "$work/update_only.pb" --output "$work/update_only.json"
  node -e '
    const fs = require("fs");
    const [dir, channel] = process.argv.slice(1);
    const update = JSON.parse(fs.readFileSync(`${dir}/update_only.json`, "utf8"));
    const envelope = { payload: { header: { channel_header: { channel_id: channel, type: 2 } }, data: { config_update: update } } };
    fs.writeFileSync(`${dir}/update.json`, JSON.stringify(envelope));
  ' "$work" "$CHANNEL"
  configtxlator proto_encode --type common.Envelope --input "$work/update.json" --output "$work/update.pb"
  submit_config_update "$work" "$@"
}

# Adds <key>'s organisation to the channel's Application group.
add_org_to_channel() {
  local key="$1" work="$STATE/join-$1" members signers
  mkdir -p "$work"
  mapfile -t members < <(channel_orgs)
  # The Application group's Admins policy is MAJORITY Admins: more than half the members sign.
  signers=("${members[@]:0:$((${#members[@]} / 2 + 1))}")
  log "adding ${ORG_MSP[$key]} to channel $CHANNEL (signed by ${signers[*]})"
  fetch_channel_config "$work" "${members[0]}"
  cfg org-configtx "$CRYPTO" "$key" "$work/configtx.yaml"
  configtxgen -configPath "$work" -printOrg "${ORG_MSP[$key]}" >"$work/org.json" 2>>"$LOGS/configtxgen.log" ||
    die "configtxgen -printOrg failed (see $LOGS/configtxgen.log)"
  node -e '
    const fs = require("fs");
    const [dir, msp] = process.argv.slice(1);
    const config = JSON.parse(fs.readFileSync(`${dir}/config.json`, "utf8"));
    config.channel_group.groups.Application.groups[msp] = JSON.parse(fs.readFileSync(`${dir}/org.json`, "utf8"));
    fs.writeFileSync(`${dir}/modified.json`, JSON.stringify(config));
  ' "$work" "${ORG_MSP[$key]}"
  update_channel_config "$work" "${signers[@]}"
}

# After the nodes are up: every organisation of network.yaml that is not yet in the channel joins it.
join_new_orgs() {
  local joining key
  mapfile -t joining < <(new_orgs)
  [ ${#joining[@]} -gt 0 ] || return 0
  for key in "${joining[@]}"; do
    add_org_to_channel "$key"
    # The peer fetches the channel's blocks from the orderers, from the genesis block on.
    join_peer "$key" "$STATE/$CHANNEL.genesis.block"
    echo "$key" >>"$STATE/orgs"
  done
  # The endorsement policy names every organisation: a new definition that all of them approve.
  deploy_chaincode
  write_client_files
  for key in "${joining[@]}"; do
    log "the regulator admits ${ORG_MSP[$key]} (${ORG_ROLE[$key]}) to the registry"
    registry admit "$(cfg registry-org "$key")" || die "admitting ${ORG_MSP[$key]} failed"
  done
}
