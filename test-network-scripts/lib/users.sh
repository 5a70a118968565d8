# People of an organisation at its Fabric CA: enrolment with the drugtrace.role/drugtrace.gln attributes, and
# revocation that reaches the peers (the CA's CRL in the organisation's MSP of the channel configuration).
# Sourced by users.sh; the gateway's accounts module calls that script (docs/DESIGN.md, "People").

person_dir() { echo "$CRYPTO/$1/people/$2"; } # key name

# enrol_person <key> <name> <gln>: registers <name> (the enrolment ID) with a CA-generated secret, enrols its
# signing identity once, and prints {"certPath","keyPath"}.
enrol_person() {
  local key="$1" name="$2" gln="$3" dir
  dir="$(person_dir "$key" "$name")"
  [ -e "$dir" ] && die "$dir already exists: ${ORG_MSP[$key]} already has a person named $name"
  register_and_enroll "$key" "${ORG_CA_PORT[$key]}" "$name" client "$dir" \
    "drugtrace.role=${ORG_ROLE[$key]}:ecert,drugtrace.gln=$gln:ecert"
  printf '{"certPath":"%s","keyPath":"%s"}\n' "$dir/msp/signcerts/cert.pem" "$dir/msp/keystore/key.pem"
}

# revoke_person <key> <name>: revokes every certificate of <name> at the CA, has the CA sign a new CRL, and puts
# that CRL in the organisation's MSP in the channel (its revocation_list). Peers and orderers validate every
# signer against the channel's MSPs, so from that config block on they refuse <name>'s certificate. The MSP
# value's modification policy is the organisation's own Admins: its admin alone signs. Safe to run again.
revoke_person() {
  local key="$1" name="$2" port="${ORG_CA_PORT[$1]}" out crl work
  out="$(ca_client "$key" "$port" revoke -e "$name" -r keycompromise 2>&1)" ||
    grep -qi "already revoked" <<<"$out" ||
    die "ca-$key could not revoke $name: $(tail -n 3 <<<"$out")"
  crl="$(ca_client_home "$key")/msp/crls/crl.pem"
  rm -f "$crl"
  out="$(ca_client "$key" "$port" gencrl 2>&1)" || die "ca-$key could not generate a CRL: $(tail -n 3 <<<"$out")"
  [ -s "$crl" ] || die "ca-$key generated no CRL at $crl"
  work="$STATE/revoke-$key"
  rm -rf "$work"
  fetch_channel_config "$work" "$key"
  node -e '
    const fs = require("fs");
    const [dir, msp, crlFile] = process.argv.slice(1);
    const config = JSON.parse(fs.readFileSync(`${dir}/config.json`, "utf8"));
    const mspConfig = config.channel_group.groups.Application.groups[msp].values.MSP.value.config;
    const crl = fs.readFileSync(crlFile).toString("base64");
    if ((mspConfig.revocation_list ?? []).length === 1 && mspConfig.revocation_list[0] === crl) process.exit(3);
    mspConfig.revocation_list = [crl];
    fs.writeFileSync(`${dir}/modified.json`, JSON.stringify(config));
  ' "$work" "${ORG_MSP[$key]}" "$crl" || {
    [ $? -eq 3 ] && return 0 # the channel already has this CRL
    die "could not change the channel configuration"
  }
  log "putting ca-$key's CRL in ${ORG_MSP[$key]} of channel $CHANNEL"
  update_channel_config "$work" "$key"
}
