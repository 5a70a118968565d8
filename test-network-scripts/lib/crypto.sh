# Identities from one Fabric CA per organisation: node (MSP + TLS), admin and user identities, with the
# drugtrace.role / drugtrace.gln attributes in users' enrolment certificates. Sourced by network.sh.
#
# No secret is readable by another local user or visible in `ps`: every file is created under umask 077
# (common.sh); the CA's bootstrap admin and every enrolment secret travel in environment variables, which
# only the owner can read (/proc/<pid>/environ), never in arguments; a registration's generated secret is
# read from the CA's answer into a variable and never logged; each identity may enrol only as often as it
# needs (its MSP and, for TLS, one more), so a leaked enrolment secret is useless once used. The CAs take
# only clients presenting the network operator's TLS client certificate (mutual TLS).

ca_home() { echo "$CRYPTO/$1/ca"; }
ca_client_home() { echo "$CRYPTO/$1/ca-client"; }
ca_root() { echo "$(ca_home "$1")/ca-cert.pem"; }
operator_tls_dir() { echo "$CRYPTO/operator-tls"; }
new_secret() { openssl rand -hex 16; }

# The operator's TLS identity for talking to the CAs: a local CA of its own and one client certificate.
create_operator_tls() {
  local dir
  dir="$(operator_tls_dir)"
  [ -f "$dir/client.crt" ] && return 0
  mkdir -p "$dir"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 \
    -subj "/O=DrugTrace network operator/CN=operator TLS CA" -keyout "$dir/ca.key" -out "$dir/ca.crt" 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -subj "/O=DrugTrace network operator/CN=operator" -keyout "$dir/client.key" -out "$dir/client.csr" 2>/dev/null
  printf 'extendedKeyUsage=clientAuth\nkeyUsage=digitalSignature\n' >"$dir/client.ext"
  openssl x509 -req -in "$dir/client.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial -days 3650 \
    -extfile "$dir/client.ext" -out "$dir/client.crt" 2>/dev/null
  rm -f "$dir/client.csr" "$dir/client.ext"
  [ -f "$dir/client.crt" ] || die "could not create the operator's TLS client certificate with openssl"
}

# start_ca <org key> <port> <domain>
# The first time, `fabric-ca-server init` creates the CA's key, certificate and configuration (which holds the
# bootstrap admin, 0600) with its output discarded: Fabric CA logs its whole configuration at start-up, and
# a bootstrap identity given in the environment ("boot") is not among the lines it hides. `start` then
# reads the configuration and needs no secret at all.
start_ca() {
  local key="$1" port="$2" domain="$3" home secret_file out
  home="$(ca_home "$key")"
  secret_file="$STATE/ca-$key.secret"
  mkdir -p "$home" "$STATE"
  local args=(--address 127.0.0.1 --port "$port" --ca.name "ca-$key"
    --csr.cn "ca.$domain" --csr.hosts "ca.$domain,localhost,127.0.0.1")
  if [ ! -f "$home/fabric-ca-server-config.yaml" ]; then
    [ -f "$secret_file" ] || new_secret >"$secret_file"
    out="$(FABRIC_CA_SERVER_HOME="$home" FABRIC_CA_SERVER_BOOT="admin:$(cat "$secret_file")" \
      fabric-ca-server init "${args[@]}" 2>&1)" ||
      die "fabric-ca-server init failed for $key: $(grep -v '^boot:' <<<"$out" | tail -n 5)"
  fi
  start_node "ca-$key" env FABRIC_CA_SERVER_HOME="$home" \
    FABRIC_CA_SERVER_OPERATIONS_LISTENADDRESS="127.0.0.1:$((port + 10000))" \
    fabric-ca-server start "${args[@]}" \
    --tls.enabled --tls.clientauth.type RequireAndVerifyClientCert \
    --tls.clientauth.certfiles "$(operator_tls_dir)/ca.crt"
}

wait_ca() { # key port
  local key="$1" port="$2" tls
  tls="$(operator_tls_dir)"
  wait_for "ca-$key" 60 test -f "$(ca_root "$key")"
  wait_for "ca-$key" 60 curl -fsS -m 2 --cacert "$(ca_root "$key")" --cert "$tls/client.crt" --key "$tls/client.key" \
    "https://127.0.0.1:$port/cainfo"
}

# ca_client <key> <port> <fabric-ca-client args...>: prints the command's output (for register: the secret),
# which callers keep out of any log.
ca_client() {
  local key="$1" port="$2" tls
  shift 2
  tls="$(operator_tls_dir)"
  fabric-ca-client "$@" -u "https://127.0.0.1:$port" --caname "ca-$key" --home "$(ca_client_home "$key")" \
    --tls.certfiles "$(ca_root "$key")" --tls.client.certfile "$tls/client.crt" --tls.client.keyfile "$tls/client.key"
}

enroll() { # key port name secret msp-dir extra-args...
  local key="$1" port="$2" name="$3" secret="$4" dir="$5" tls
  shift 5
  tls="$(operator_tls_dir)"
  FABRIC_CA_CLIENT_URL="https://$name:$secret@127.0.0.1:$port" fabric-ca-client enroll --caname "ca-$key" \
    --home "$(ca_client_home "$key")" -M "$dir" "$@" \
    --tls.certfiles "$(ca_root "$key")" --tls.client.certfile "$tls/client.crt" --tls.client.keyfile "$tls/client.key" \
    >>"$LOGS/ca-client.log" 2>&1 || die "enrolment of $name at ca-$key failed (see $LOGS/ca-client.log)"
}

# NodeOUs let the MSP tell admins, peers, orderers and clients apart by the OU the CA put in their certificates.
write_msp_config() { # msp-dir
  local ou
  {
    echo "NodeOUs:"
    echo "  Enable: true"
    for ou in client peer admin orderer; do
      echo "  ${ou^}OUIdentifier:"
      echo "    Certificate: cacerts/ca.pem"
      echo "    OrganizationalUnitIdentifier: $ou"
    done
  } >"$1/config.yaml"
}

# Gives an enrolled MSP folder plain file names: signcerts/cert.pem, keystore/key.pem (0600), cacerts/ca.pem.
normalise_msp() { # msp-dir ca-root
  local dir="$1"
  mv "$dir"/keystore/*_sk "$dir/keystore/key.pem"
  chmod 600 "$dir/keystore/key.pem"
  rm -f "$dir"/cacerts/*
  cp "$2" "$dir/cacerts/ca.pem"
  write_msp_config "$dir"
}

# Moves a TLS enrolment to <dir>/{<prefix>.crt,<prefix>.key,ca.crt}.
normalise_tls() { # enrol-dir out-dir prefix
  local src="$1" out="$2" prefix="$3"
  mkdir -p "$out"
  cp "$src/signcerts/cert.pem" "$out/$prefix.crt"
  cp "$src"/keystore/*_sk "$out/$prefix.key"
  chmod 600 "$out/$prefix.key"
  cp "$src"/tlscacerts/*.pem "$out/ca.crt"
  rm -rf "$src"
}

# register_and_enroll <key> <port> <name> <type> <dir> <attrs or ""> [csr hosts for a TLS cert]
# The TLS enrolment (profile tls: server and client authentication) goes to <dir>/tls: server.crt/.key for
# nodes, client.crt/.key for admins and users, who present it to peers and orderers (mutual TLS).
register_and_enroll() {
  local key="$1" port="$2" name="$3" type="$4" dir="$5" attrs="$6" hosts="${7:-}" out secret
  # Already enrolled by an earlier `up` that stopped half-way: keep it, so `up` can simply be run again.
  if [ -f "$dir/msp/signcerts/cert.pem" ] && { [ -z "$hosts" ] || [ -d "$dir/tls" ]; }; then
    return 0
  fi
  local args=(register --id.name "$name" --id.type "$type" --id.maxenrollments "$([ -n "$hosts" ] && echo 2 || echo 1)")
  [ -n "$attrs" ] && args+=(--id.attrs "$attrs")
  # The CA generates the secret and answers "Password: <secret>"; it stays in this variable only.
  out="$(ca_client "$key" "$port" "${args[@]}" 2>&1)" ||
    die "registration of $name at ca-$key failed: $(grep -v '^Password:' <<<"$out" | tail -n 3)"
  secret="$(sed -n 's/^Password: //p' <<<"$out")"
  [ -n "$secret" ] || die "ca-$key registered $name but returned no enrolment secret"
  enroll "$key" "$port" "$name" "$secret" "$dir/msp"
  normalise_msp "$dir/msp" "$(ca_root "$key")"
  if [ -n "$hosts" ]; then
    enroll "$key" "$port" "$name" "$secret" "$dir/tls-enrol" --enrollment.profile tls --csr.hosts "$hosts"
    normalise_tls "$dir/tls-enrol" "$dir/tls" "$(case "$type" in admin | client) echo client ;; *) echo server ;; esac)"
  fi
}

# The organisation's MSP as the channel configuration sees it.
write_org_msp() { # key
  local msp="$CRYPTO/$1/msp"
  mkdir -p "$msp/cacerts" "$msp/tlscacerts"
  cp "$(ca_root "$1")" "$msp/cacerts/ca.pem"
  cp "$(ca_root "$1")" "$msp/tlscacerts/tlsca.pem"
  write_msp_config "$msp"
}

# The CA's bootstrap admin, enrolled once; it registers every other identity of the organisation.
enroll_ca_admin() { # key port
  local key="$1" port="$2"
  [ -f "$(ca_client_home "$key")/msp/signcerts/cert.pem" ] && return 0
  enroll "$key" "$port" admin "$(cat "$STATE/ca-$key.secret")" "$(ca_client_home "$key")/msp"
}

create_org_identities() { # key port domain role gln node-kind node-names...
  local key="$1" port="$2" domain="$3" role="$4" gln="$5" kind="$6"
  shift 6
  enroll_ca_admin "$key" "$port"
  write_org_msp "$key"
  local node
  for node in "$@"; do
    register_and_enroll "$key" "$port" "$node" "$kind" "$CRYPTO/$key/${kind}s/$node" "" "$node.$domain,localhost,127.0.0.1"
  done
  register_and_enroll "$key" "$port" "$key-admin" admin "$CRYPTO/$key/users/admin" "" "admin.$domain,localhost,127.0.0.1"
  if [ -n "$role" ]; then
    register_and_enroll "$key" "$port" "$key-user1" client "$CRYPTO/$key/users/user1" \
      "drugtrace.role=$role:ecert,drugtrace.gln=$gln:ecert" "user1.$domain"
    if [ "$role" = REGULATOR ]; then
      register_and_enroll "$key" "$port" "$key-resolver" client "$CRYPTO/$key/users/resolver" \
        "drugtrace.role=RESOLVER:ecert,drugtrace.gln=$gln:ecert" "resolver.$domain"
    fi
  fi
}

# The chaincode service and the peers that call it talk mutual TLS: a server certificate for the service and
# a client certificate the peers present (both from the orderer organisation's CA, the network's operator).
create_chaincode_tls() {
  register_and_enroll "$ORDERER_KEY" "$ORDERER_CA_PORT" chaincode peer "$(chaincode_tls_dir)/server" "" \
    "chaincode.$ORDERER_DOMAIN,localhost,127.0.0.1"
  register_and_enroll "$ORDERER_KEY" "$ORDERER_CA_PORT" chaincode-client client "$(chaincode_tls_dir)/client" "" \
    "chaincode-client.$ORDERER_DOMAIN"
}

# Every orderer of the chosen consensus (Raft: three, BFT: four) has its identity.
create_orderer_identities() {
  wait_ca "$ORDERER_KEY" "$ORDERER_CA_PORT"
  create_org_identities "$ORDERER_KEY" "$ORDERER_CA_PORT" "$ORDERER_DOMAIN" "" "" orderer "${ORDERER_NAMES[@]}"
  create_chaincode_tls
}

create_peer_org_identities() { # key
  local key="$1"
  wait_ca "$key" "${ORG_CA_PORT[$key]}"
  create_org_identities "$key" "${ORG_CA_PORT[$key]}" "${ORG_DOMAIN[$key]}" "${ORG_ROLE[$key]}" "${ORG_GLN[$key]}" peer peer0
}

create_crypto() {
  log "starting one Fabric CA per organisation and enrolling identities"
  local key
  create_operator_tls
  start_all_cas
  create_orderer_identities
  for key in "${ORG_KEYS[@]}"; do create_peer_org_identities "$key"; done
}
