# The chaincode's lifecycle: package as a service (ccaas), install on every peer, approve by every org,
# commit with the next sequence, and run the chaincode server built from chaincode/. Sourced by network.sh.

CC_STATE="$STATE/chaincode"

current_sequence() { cat "$STATE/sequence" 2>/dev/null || echo 0; }

# package_chaincode <label> → path of the package; a ccaas package says where the server listens and how
# the peer reaches it over mutual TLS (the server's CA, the client certificate and key the peer presents).
package_chaincode() {
  local label="$1" dir="$CC_STATE/$1" tls
  tls="$(chaincode_tls_dir)"
  mkdir -p "$dir/src"
  node -e '
    const fs = require("fs");
    const [address, tls, out] = process.argv.slice(1);
    const read = (f) => fs.readFileSync(`${tls}/${f}`, "utf8");
    const connection = {
      address,
      dial_timeout: "10s",
      tls_required: true,
      client_auth_required: true,
      root_cert: read("server/tls/ca.crt"),
      client_cert: read("client/tls/client.crt"),
      client_key: read("client/tls/client.key"),
    };
    fs.writeFileSync(out, JSON.stringify(connection), { mode: 0o600 });
  ' "127.0.0.1:$CC_PORT" "$tls" "$dir/src/connection.json"
  printf '{"type":"ccaas","label":"%s"}\n' "$label" >"$dir/metadata.json"
  tar -C "$dir/src" -czf "$dir/code.tar.gz" connection.json
  tar -C "$dir" -czf "$dir/package.tgz" metadata.json code.tar.gz
  chmod 600 "$dir/code.tar.gz" "$dir/package.tgz" # they hold the peers' client key
  echo "$dir/package.tgz"
}

peer_tls_args() { # --peerAddresses/--tlsRootCertFiles for every peer org
  local key
  for key in "${ORG_KEYS[@]}"; do
    printf -- '--peerAddresses\n127.0.0.1:%s\n--tlsRootCertFiles\n%s\n' "${ORG_PEER_PORT[$key]}" "$CRYPTO/$key/msp/tlscacerts/tlsca.pem"
  done
}

deploy_chaincode() {
  log "building the chaincode"
  (cd "$REPO_ROOT" && npm run --silent build -w chaincode) || die "chaincode build failed"
  local seq label pkg pkgid policy orderer key ordtls peers
  seq=$(($(current_sequence) + 1))
  label="${CC_NAME}_$seq"
  policy="$(cfg policy)"
  orderer="127.0.0.1:$(orderer_port)"
  pkg="$(package_chaincode "$label")"
  pkgid="$(peer lifecycle chaincode calculatepackageid "$pkg")"
  log "deploying chaincode $label (sequence $seq, endorsement $policy)"
  for key in "${ORG_KEYS[@]}"; do
    mapfile -t ordtls < <(orderer_tls_args "$key")
    if ! as_admin "$key" peer lifecycle chaincode queryinstalled 2>/dev/null | grep -q "$pkgid"; then
      as_admin "$key" peer lifecycle chaincode install "$pkg" >>"$LOGS/peer-cli.log" 2>&1 ||
        die "install on peer0.$key failed (see $LOGS/peer-cli.log)"
    fi
    retry 10 as_admin "$key" peer lifecycle chaincode approveformyorg -o "$orderer" "${ordtls[@]}" \
      --channelID "$CHANNEL" --name "$CC_NAME" --version "$seq" --package-id "$pkgid" \
      --sequence "$seq" --signature-policy "$policy" >>"$LOGS/peer-cli.log" 2>&1 ||
      die "approval by ${ORG_MSP[$key]} failed (see $LOGS/peer-cli.log)"
  done
  key="${ORG_KEYS[0]}"
  mapfile -t peers < <(peer_tls_args)
  mapfile -t ordtls < <(orderer_tls_args "$key")
  retry 10 as_admin "$key" peer lifecycle chaincode commit -o "$orderer" "${ordtls[@]}" \
    --channelID "$CHANNEL" --name "$CC_NAME" --version "$seq" --sequence "$seq" --signature-policy "$policy" \
    "${peers[@]}" >>"$LOGS/peer-cli.log" 2>&1 || die "chaincode commit failed (see $LOGS/peer-cli.log)"
  echo "$seq" >"$STATE/sequence"
  echo "$label" >"$STATE/label"
  echo "$pkgid" >"$STATE/package-id"
  stop_node chaincode
  start_chaincode_server
}

chaincode_listening() { (exec 3<>"/dev/tcp/127.0.0.1/$CC_PORT") 2>/dev/null; }

start_chaincode_server() {
  [ -f "$STATE/package-id" ] || return 0
  local tls
  tls="$(chaincode_tls_dir)"
  # warning: at info the shim logs several lines for every transaction it runs.
  start_node chaincode env CORE_CHAINCODE_LOGGING_LEVEL=warning "$NODE_BIN" \
    "$REPO_ROOT/node_modules/fabric-shim/cli.js" server --chaincode-address "127.0.0.1:$CC_PORT" \
    --chaincode-id "$(cat "$STATE/package-id")" --module-path "$REPO_ROOT/chaincode" \
    --chaincode-tls-cert-file "$tls/server/tls/server.crt" --chaincode-tls-key-file "$tls/server/tls/server.key" \
    --chaincode-tls-client-cacert-file "$tls/client/tls/ca.crt"
  wait_for chaincode 30 chaincode_listening
}

# network.json (docs/DESIGN.md §2) for clients, and one demo API key per organisation (kept across ups).
write_client_files() {
  cfg network-json "$CRYPTO" "$(cat "$STATE/label")" "$(current_sequence)" "$DRUGTRACE_HOME/network.json"
  # Keys already handed out stay; an organisation that joined later gets one.
  node -e '
    const fs = require("fs"), crypto = require("crypto");
    const [file, ...orgs] = process.argv.slice(1);
    const keys = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : {};
    for (const org of orgs) keys[org] ??= crypto.randomBytes(24).toString("base64url");
    fs.writeFileSync(file, JSON.stringify(keys, null, 2) + "\n", { mode: 0o600 });
  ' "$DRUGTRACE_HOME/api-keys.json" "${ORG_KEYS[@]}"
}

registry() { # seed|admit <json>
  node "$REPO_ROOT/test-network-scripts/lib/registry.js" "$DRUGTRACE_HOME/network.json" "$@"
}

seed_registry() {
  log "seeding the organisation registry from network/network.yaml"
  registry seed "$(cfg seed)" || die "seeding the registry failed"
}
